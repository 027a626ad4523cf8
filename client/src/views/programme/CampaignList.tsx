import { useEffect, useState } from 'preact/hooks';
import { listProducts, productName } from '../../../../shared/domain/catalogue';
import { programmeHref } from '../../state/programme';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { usePagedList } from './paged-list';
import { useProgramme } from './context';
import { money, when } from './bits';
import { InlineInput, useFieldErrors } from '../components/use-field-errors';
import { CAMPAIGN_FORM_PATHS } from '../../state/field-errors';

const ID = 'campaign-new';

/** Campaigns with their progress; chamber staff start new ones from here. */
export function CampaignList() {
  const { t, locale, session } = useApp();
  const { me } = useStore(session);
  const { api } = useProgramme();
  const list = usePagedList((cursor?: string) => api.campaigns(cursor));
  const { items } = list;
  useEffect(() => {
    list.load();
  }, []);
  const chamber = me?.organisation.kind === 'chamber';
  return (
    <Page title={t('programme.title')} wide>
      <nav class="subnav">
        {chamber ? <a href={programmeHref({ name: 'new' })}>{t('programme.newCampaign')}</a> : null}
        <a href={programmeHref({ name: 'pairings' })}>{t('programme.pairings')}</a>
        {chamber ? (
          <>
            <a href={programmeHref({ name: 'newPairing' })}>{t('programme.newPairing')}</a>
            <a href={programmeHref({ name: 'recommendations' })}>{t('programme.recommendations')}</a>
            <a href={programmeHref({ name: 'topics' })}>{t('programme.topics')}</a>
            <a href={programmeHref({ name: 'plans' })}>{t('programme.plans')}</a>
            <a href={programmeHref({ name: 'outcomes' })}>{t('programme.outcomes')}</a>
            <a href={programmeHref({ name: 'dashboard' })}>{t('programme.dashboard')}</a>
          </>
        ) : null}
      </nav>
      <h2>{t('programme.campaigns')}</h2>
      {items === null ? (
        <p>{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p class="muted">{t('programme.noCampaigns')}</p>
      ) : (
        <ul class="campaigns">
          {items.map((c) => (
            <li key={c.id} class="card">
              <a href={programmeHref({ name: 'campaign', id: c.id })}>{c.name}</a>{' '}
              <span class={`status status-${c.status}`}>{t(`programme.status.${c.status}`)}</span>
              <div class="muted">{t('programme.period', { from: when(c.startsAt), to: when(c.endsAt) })}</div>
              <div>
                {money(c.progress.valueFen, locale)}
                {c.targetValueFen ? ` / ${money(c.targetValueFen, locale)}` : ''} · {c.progress.orders}{' '}
                {t('programme.orders')}
                {c.invited && !c.joined ? <span class="badge">{t('programme.invited')}</span> : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {list.end()}
    </Page>
  );
}

const localInput = (d: Date) => {
  const shifted = new Date(d.getTime() + 8 * 3_600_000);
  return shifted.toISOString().slice(0, 16);
};
/** A datetime-local value read as Beijing time (the app shows and enters times in Asia/Shanghai). */
const fromLocalInput = (v: string) => new Date(`${v}:00+08:00`).toISOString();

export function NewCampaignForm() {
  const { t, locale } = useApp();
  const { api, shareTokens } = useProgramme();
  const now = new Date();
  const [name, setName] = useState('');
  const [startsAt, setStartsAt] = useState(localInput(now));
  const [endsAt, setEndsAt] = useState(localInput(new Date(now.getTime() + 30 * 86_400_000)));
  const [codes, setCodes] = useState<string[]>([]);
  const [villages, setVillages] = useState('');
  const [yuan, setYuan] = useState('');
  const [kg, setKg] = useState('');
  const [error, setError] = useState('');
  // Target weight is typed in kg, so its limits are said in kg.
  const server = useFieldErrors(CAMPAIGN_FORM_PATHS, ID, 'kg');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    server.clear();
    const villageList = villages
      .split(/[,，、]/)
      .map((v) => v.trim())
      .filter(Boolean);
    const made = await api.create({
      name,
      startsAt: fromLocalInput(startsAt),
      endsAt: fromLocalInput(endsAt),
      ...(codes.length ? { productCodes: codes } : {}),
      ...(villageList.length ? { villages: villageList } : {}),
      ...(yuan ? { targetValueFen: Math.round(Number(yuan) * 100) } : {}),
      ...(kg ? { targetGrams: Math.round(Number(kg) * 1000) } : {}),
    });
    if (made.ok) {
      // Shown once on the campaign's page: the server keeps only the token's hash.
      if (made.data.campaign.posterToken) shareTokens.set(made.data.campaign.id, made.data.campaign.posterToken);
      location.hash = programmeHref({ name: 'campaign', id: made.data.campaign.id });
    } else {
      const unplaced = server.show(made.error);
      const placed = Object.keys(made.error.fields).length > unplaced.length;
      setError([placed ? t('common.fixFields') : made.error.message || made.error.code, ...unplaced].join(' '));
    }
  };
  return (
    <Page title={t('programme.newCampaign')}>
      <form onSubmit={(e) => void submit(e)} class="stack">
        <InlineInput
          label={t('programme.form.name')}
          name="name"
          idPrefix={ID}
          inputMode="text"
          required
          value={name}
          onValue={setName}
          handle={server}
        />
        <InlineInput
          label={t('programme.form.startsAt')}
          name="startsAt"
          idPrefix={ID}
          inputMode="text"
          type="datetime-local"
          required
          value={startsAt}
          onValue={setStartsAt}
          handle={server}
        />
        <InlineInput
          label={t('programme.form.endsAt')}
          name="endsAt"
          idPrefix={ID}
          inputMode="text"
          type="datetime-local"
          required
          value={endsAt}
          onValue={setEndsAt}
          handle={server}
        />
        <label>
          {t('programme.form.products')}
          <select
            name="productCodes"
            multiple
            size={6}
            onChange={(e) => setCodes([...e.currentTarget.selectedOptions].map((o) => o.value))}
          >
            {listProducts().map((p) => (
              <option key={p.code} value={p.code} selected={codes.includes(p.code)}>
                {productName(p, locale)}
              </option>
            ))}
          </select>
        </label>
        <InlineInput
          label={t('programme.form.villages')}
          name="villages"
          idPrefix={ID}
          inputMode="text"
          value={villages}
          onValue={setVillages}
          handle={server}
        />
        <InlineInput
          label={t('programme.form.targetYuan')}
          name="targetYuan"
          idPrefix={ID}
          value={yuan}
          onValue={setYuan}
          handle={server}
        />
        <InlineInput
          label={t('programme.form.targetKg')}
          name="targetKg"
          idPrefix={ID}
          value={kg}
          onValue={setKg}
          handle={server}
        />
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit">{t('programme.form.create')}</button>
      </form>
    </Page>
  );
}
