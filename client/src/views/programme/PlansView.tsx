import { useEffect, useState } from 'preact/hooks';
import { addDays, shanghaiDate } from '../../../../shared/domain/calendar';
import type { PlanView, TopicView } from '../../state/programme';
import { useApp } from '../context';
import { Page } from '../components/Page';
import { Field } from '../components/Field';
import { usePagedList } from './paged-list';
import { useProgramme } from './context';
import { GeneralError, Input, useServerErrors } from './forms';

interface TaskDraft {
  title: string;
  owner: string;
  dueOn: string;
}

/** Special remediation plans (专项整治方案): tasks with owners and due dates; staff mark tasks done. */
export function PlansView() {
  const { t } = useApp();
  const { api } = useProgramme();
  const today = shanghaiDate(new Date());
  const blank = (): TaskDraft => ({ title: '', owner: '', dueOn: addDays(today, 14) });
  const planList = usePagedList((cursor?: string) => api.plans(cursor));
  const { items: plans, setItems: setPlans } = planList;
  const [topics, setTopics] = useState<TopicView[]>([]);
  const [title, setTitle] = useState('');
  const [topicId, setTopicId] = useState('');
  const [tasks, setTasks] = useState<TaskDraft[]>([blank()]);
  const errors = useServerErrors(['title', 'topicId', 'tasks']);
  const load = planList.load;
  useEffect(() => {
    load();
    void api.topics().then((r) => setTopics(r.ok ? r.data.items : []));
  }, []);
  const setTask = (i: number, change: Partial<TaskDraft>) =>
    setTasks((list) => list.map((task, j) => (j === i ? { ...task, ...change } : task)));

  const create = async (e: Event) => {
    e.preventDefault();
    errors.clear();
    const made = await api.createPlan({ title, ...(topicId ? { topicId } : {}), tasks });
    if (!made.ok) return errors.take(made.error);
    setTitle('');
    setTopicId('');
    setTasks([blank()]);
    load();
  };
  const toggle = async (plan: PlanView, index: number, done: boolean) => {
    const saved = await api.setTask(plan.id, index, done);
    if (saved.ok) setPlans((list) => (list ?? []).map((p) => (p.id === plan.id ? { ...p, ...saved.data.plan } : p)));
  };
  const topicName = new Map(topics.map((x) => [x.id, x.title]));

  return (
    <Page title={t('programme.plans')} wide>
      {plans === null ? (
        <p>{t('app.loading')}</p>
      ) : plans.length === 0 ? (
        <p class="muted">{t('programme.plan.none')}</p>
      ) : (
        <ul class="programme-list" data-testid="plans">
          {plans.map((plan) => (
            <li key={plan.id} class="card">
              <h2>
                {plan.title} <span class="status">{t(`programme.plan.status.${plan.status}`)}</span>
              </h2>
              {plan.topicId ? (
                <p class="muted">{t('programme.plan.topic', { topic: topicName.get(plan.topicId) ?? '—' })}</p>
              ) : null}
              {plan.overdue ? <p class="error">{t('programme.plan.overdue', { n: plan.overdue })}</p> : null}
              <ul class="programme-list tasks">
                {plan.tasks.map((task, i) => (
                  <li key={i}>
                    <label class="check">
                      <input
                        type="checkbox"
                        checked={!!task.doneAt}
                        onChange={(e) => void toggle(plan, i, e.currentTarget.checked)}
                      />
                      <span class={task.doneAt ? 'done' : ''}>
                        {task.title}
                        <span class="muted">
                          {' '}
                          · {t('programme.plan.ownerDue', { owner: task.owner, due: task.dueOn })}
                        </span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {planList.end()}
      <form class="card stack" onSubmit={(e) => void create(e)} noValidate>
        <h2>{t('programme.plan.new')}</h2>
        <Input
          id="title"
          label={t('programme.plan.title')}
          value={title}
          onValue={setTitle}
          error={errors.at('title')}
        />
        <Field id="topicId" label={t('programme.plan.topicField')} error={errors.at('topicId')} optional>
          <select id="topicId" name="topicId" value={topicId} onChange={(e) => setTopicId(e.currentTarget.value)}>
            <option value="">—</option>
            {topics.map((x) => (
              <option key={x.id} value={x.id}>
                {x.title}
              </option>
            ))}
          </select>
        </Field>
        {tasks.map((task, i) => (
          <fieldset key={i} class="task-row">
            <legend>{t('programme.plan.task', { n: i + 1 })}</legend>
            <Input
              id={`task-${i}-title`}
              label={t('programme.plan.taskTitle')}
              value={task.title}
              onValue={(v) => setTask(i, { title: v })}
              error={errors.at(`tasks.${i}.title`)}
            />
            <div class="grid2">
              <Input
                id={`task-${i}-owner`}
                label={t('programme.plan.owner')}
                value={task.owner}
                onValue={(v) => setTask(i, { owner: v })}
                error={errors.at(`tasks.${i}.owner`)}
              />
              <Input
                id={`task-${i}-due`}
                type="date"
                label={t('programme.plan.due')}
                value={task.dueOn}
                onValue={(v) => setTask(i, { dueOn: v })}
                error={errors.at(`tasks.${i}.dueOn`)}
              />
            </div>
          </fieldset>
        ))}
        {errors.at('tasks') && !tasks.some((_, i) => errors.at(`tasks.${i}`)) ? (
          <p class="error">{errors.at('tasks')}</p>
        ) : null}
        <button
          type="button"
          class="secondary"
          onClick={() => setTasks((list) => [...list, blank()])}
          disabled={tasks.length >= 50}
        >
          {t('programme.plan.addTask')}
        </button>
        <GeneralError text={errors.general} />
        <button type="submit">{t('programme.plan.create')}</button>
      </form>
    </Page>
  );
}
