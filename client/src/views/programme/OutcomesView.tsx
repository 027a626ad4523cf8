import { useEffect, useState } from 'preact/hooks';
import { shanghaiDate } from '../../../../shared/domain/calendar';
import { programmeHref, type CampaignView, type PlanView, type ProblemRef } from '../../state/programme';
import { useApp } from '../context';
import { Page } from '../components/Page';
import { Field } from '../components/Field';
import { usePagedList } from './paged-list';
import { useProgramme } from './context';
import { CheckList, GeneralError, Input, splitList, useServerErrors } from './forms';

const short = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** The outcomes list (成果转化清单): each outcome with the problems, plans, deals and campaigns it came from. */
export function OutcomesView() {
  const { t } = useApp();
  const { api } = useProgramme();
  const outcomeList = usePagedList((cursor?: string) => api.outcomes(cursor));
  const outcomes = outcomeList.items;
  const [problems, setProblems] = useState<ProblemRef[]>([]);
  const [plans, setPlans] = useState<PlanView[]>([]);
  const [campaigns, setCampaigns] = useState<CampaignView[]>([]);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [achievedOn, setAchievedOn] = useState(shanghaiDate(new Date()));
  const [problemIds, setProblemIds] = useState<string[]>([]);
  const [planIds, setPlanIds] = useState<string[]>([]);
  const [campaignIds, setCampaignIds] = useState<string[]>([]);
  const [orders, setOrders] = useState('');
  const errors = useServerErrors([
    'title',
    'description',
    'achievedOn',
    'problemIds',
    'planIds',
    'campaignIds',
    'orderIds',
  ]);
  const load = outcomeList.load;
  useEffect(() => {
    load();
    void api.problems().then((r) => setProblems(r.ok ? r.data.items : []));
    void api.plans().then((r) => setPlans(r.ok ? r.data.items : []));
    void api.campaigns().then((r) => setCampaigns(r.ok ? r.data.items : []));
  }, []);
  const problemName = new Map(problems.map((p) => [p.id, short(p.description)]));
  const planName = new Map(plans.map((p) => [p.id, p.title]));
  const campaignName = new Map(campaigns.map((c) => [c.id, c.name]));

  const create = async (e: Event) => {
    e.preventDefault();
    errors.clear();
    const orderIds = splitList(orders);
    const made = await api.createOutcome({
      title,
      ...(description.trim() ? { description } : {}),
      achievedOn,
      ...(problemIds.length ? { problemIds } : {}),
      ...(planIds.length ? { planIds } : {}),
      ...(campaignIds.length ? { campaignIds } : {}),
      ...(orderIds.length ? { orderIds } : {}),
    });
    if (!made.ok) return errors.take(made.error);
    setTitle('');
    setDescription('');
    setProblemIds([]);
    setPlanIds([]);
    setCampaignIds([]);
    setOrders('');
    load();
  };

  return (
    <Page title={t('programme.outcomes')} wide>
      {outcomes === null ? (
        <p>{t('app.loading')}</p>
      ) : outcomes.length === 0 ? (
        <p class="muted">{t('programme.outcome.none')}</p>
      ) : (
        <ol class="programme-list" data-testid="outcomes">
          {outcomes.map((o) => (
            <li key={o.id} class="card">
              <h2>{o.title}</h2>
              <p class="muted">{t('programme.outcome.on', { date: o.achievedOn })}</p>
              {o.description ? <p>{o.description}</p> : null}
              <dl class="links">
                {o.problemIds.length ? (
                  <div>
                    <dt>{t('programme.outcome.problems')}</dt>
                    <dd>{o.problemIds.map((id) => problemName.get(id) ?? id).join('；')}</dd>
                  </div>
                ) : null}
                {o.planIds.length ? (
                  <div>
                    <dt>{t('programme.outcome.plans')}</dt>
                    <dd>
                      <a href={programmeHref({ name: 'plans' })}>
                        {o.planIds.map((id) => planName.get(id) ?? id).join('、')}
                      </a>
                    </dd>
                  </div>
                ) : null}
                {o.campaignIds.length ? (
                  <div>
                    <dt>{t('programme.outcome.campaigns')}</dt>
                    <dd>
                      {o.campaignIds.map((id) => (
                        <a key={id} class="link-item" href={programmeHref({ name: 'campaign', id })}>
                          {campaignName.get(id) ?? id}
                        </a>
                      ))}
                    </dd>
                  </div>
                ) : null}
                {o.orderIds.length ? (
                  <div>
                    <dt>{t('programme.outcome.orders')}</dt>
                    <dd class="ids">{o.orderIds.map((id) => `#${id.slice(-6)}`).join('、')}</dd>
                  </div>
                ) : null}
              </dl>
            </li>
          ))}
        </ol>
      )}
      {outcomeList.end()}
      <form class="card stack" onSubmit={(e) => void create(e)} noValidate>
        <h2>{t('programme.outcome.new')}</h2>
        <Input
          id="title"
          label={t('programme.outcome.title')}
          value={title}
          onValue={setTitle}
          error={errors.at('title')}
        />
        <Field id="description" label={t('programme.outcome.description')} error={errors.at('description')} optional>
          <textarea
            id="description"
            name="description"
            value={description}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </Field>
        <Input
          id="achievedOn"
          type="date"
          label={t('programme.outcome.achievedOn')}
          value={achievedOn}
          onValue={setAchievedOn}
          error={errors.at('achievedOn')}
        />
        <CheckList
          id="problemIds"
          label={t('programme.outcome.problems')}
          options={problems.map((p) => ({ value: p.id, label: short(p.description) }))}
          chosen={problemIds}
          onChange={setProblemIds}
          error={errors.at('problemIds')}
          empty={t('programme.topic.noProblems')}
        />
        <CheckList
          id="planIds"
          label={t('programme.outcome.plans')}
          options={plans.map((p) => ({ value: p.id, label: p.title }))}
          chosen={planIds}
          onChange={setPlanIds}
          error={errors.at('planIds')}
          empty={t('programme.plan.none')}
        />
        <CheckList
          id="campaignIds"
          label={t('programme.outcome.campaigns')}
          options={campaigns.map((c) => ({ value: c.id, label: c.name }))}
          chosen={campaignIds}
          onChange={setCampaignIds}
          error={errors.at('campaignIds')}
          empty={t('programme.noCampaigns')}
        />
        <Input
          id="orderIds"
          label={t('programme.outcome.orderIds')}
          value={orders}
          onValue={setOrders}
          error={errors.at('orderIds')}
          optional
        />
        <GeneralError text={errors.general} />
        <button type="submit">{t('programme.outcome.create')}</button>
      </form>
    </Page>
  );
}
