import { useEffect, useState } from 'preact/hooks';
import type { ProblemRef } from '../../state/programme';
import { useApp } from '../context';
import { Page } from '../components/Page';
import { Field } from '../components/Field';
import { usePagedList } from './paged-list';
import { useProgramme } from './context';
import { CheckList, GeneralError, Input, useServerErrors } from './forms';

const problemLabel = (p: ProblemRef) => (p.description.length > 60 ? `${p.description.slice(0, 60)}…` : p.description);

/** Research topics (调研课题): problems grouped under them; chamber staff create topics and assign problems. */
export function TopicsView() {
  const { t } = useApp();
  const { api } = useProgramme();
  const topicList = usePagedList((cursor?: string) => api.topics(cursor));
  const topics = topicList.items;
  const [problems, setProblems] = useState<ProblemRef[]>([]);
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [editing, setEditing] = useState<{ id: string; problemIds: string[] } | null>(null);
  const errors = useServerErrors(['title', 'summary', 'problemIds']);
  const load = topicList.load;
  useEffect(() => {
    load();
    void api.problems().then((r) => setProblems(r.ok ? r.data.items : []));
  }, []);
  const byId = new Map(problems.map((p) => [p.id, p]));
  const grouped = new Set((topics ?? []).flatMap((x) => x.problemIds));

  const create = async (e: Event) => {
    e.preventDefault();
    errors.clear();
    const made = await api.createTopic({
      title,
      ...(summary.trim() ? { summary } : {}),
      ...(chosen.length ? { problemIds: chosen } : {}),
    });
    if (!made.ok) return errors.take(made.error);
    setTitle('');
    setSummary('');
    setChosen([]);
    load();
  };
  const saveAssignment = async () => {
    if (!editing) return;
    const saved = await api.updateTopic(editing.id, { problemIds: editing.problemIds });
    if (saved.ok) {
      setEditing(null);
      load();
    }
  };
  const options = problems.map((p) => ({ value: p.id, label: problemLabel(p) }));

  return (
    <Page title={t('programme.topics')} wide>
      {topics === null ? (
        <p>{t('app.loading')}</p>
      ) : topics.length === 0 ? (
        <p class="muted">{t('programme.topic.none')}</p>
      ) : (
        <ul class="programme-list" data-testid="topics">
          {topics.map((topic) => (
            <li key={topic.id} class="card">
              <h2>{topic.title}</h2>
              {topic.summary ? <p>{topic.summary}</p> : null}
              <h3>{t('programme.topic.problems', { n: topic.problemIds.length })}</h3>
              <ul>
                {topic.problemIds.map((id) => (
                  <li key={id}>{byId.get(id) ? problemLabel(byId.get(id) as ProblemRef) : id}</li>
                ))}
              </ul>
              {editing?.id === topic.id ? (
                <div>
                  <CheckList
                    id={`assign-${topic.id}`}
                    label={t('programme.topic.assign')}
                    options={options}
                    chosen={editing.problemIds}
                    onChange={(problemIds) => setEditing({ id: topic.id, problemIds })}
                    empty={t('programme.topic.noProblems')}
                  />
                  <button type="button" onClick={() => void saveAssignment()}>
                    {t('programme.form.save')}
                  </button>
                </div>
              ) : (
                <button
                  type="button"
                  class="secondary"
                  onClick={() => setEditing({ id: topic.id, problemIds: topic.problemIds })}
                >
                  {t('programme.topic.assign')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {topicList.end()}
      {problems.some((p) => !grouped.has(p.id)) ? (
        <p class="muted">{t('programme.topic.ungrouped', { n: problems.filter((p) => !grouped.has(p.id)).length })}</p>
      ) : null}
      <form class="card stack" onSubmit={(e) => void create(e)} noValidate>
        <h2>{t('programme.topic.new')}</h2>
        <Input
          id="title"
          label={t('programme.topic.title')}
          value={title}
          onValue={setTitle}
          error={errors.at('title')}
        />
        <Field id="summary" label={t('programme.topic.summary')} error={errors.at('summary')} optional>
          <textarea id="summary" name="summary" value={summary} onInput={(e) => setSummary(e.currentTarget.value)} />
        </Field>
        <CheckList
          id="problemIds"
          label={t('programme.topic.assign')}
          options={options}
          chosen={chosen}
          onChange={setChosen}
          error={errors.at('problemIds')}
          empty={t('programme.topic.noProblems')}
        />
        <GeneralError text={errors.general} />
        <button type="submit">{t('programme.topic.create')}</button>
      </form>
    </Page>
  );
}
