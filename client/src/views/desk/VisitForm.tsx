import { useEffect, useState } from 'preact/hooks';
import { shanghaiDate } from '../../../../shared/domain/calendar';
import { PROBLEM_CATEGORIES, URGENCIES } from '../../../../shared/domain/desk/problems';
import type { ProblemCategory, Urgency } from '../../state/desk-types';
import { useApp } from '../context';
import { useDesk } from './context';
import { deskFailureText } from './bits';
import { allOrganisations } from '../../state/market-names';

export interface Enterprise {
  id: string;
  name: string;
  kind: string;
}

/** Farms and restaurants the chamber may visit (the accounts API's organisation list, every page of each). */
export function useEnterprises(): Enterprise[] {
  const { accounts } = useDesk();
  const [list, setList] = useState<Enterprise[]>([]);
  useEffect(() => {
    let live = true;
    void Promise.all([
      allOrganisations(accounts, { kind: 'farm' }),
      allOrganisations(accounts, { kind: 'restaurant' }),
    ]).then((rs) => {
      if (!live) return;
      setList(rs.flatMap((r) => (r.ok ? r.data.items.map((o) => ({ id: o.id, name: o.name, kind: o.kind })) : [])));
    });
    return () => {
      live = false;
    };
  }, [accounts]);
  return list;
}

interface DraftProblem {
  category: ProblemCategory;
  description: string;
  urgency: Urgency;
}

/** Log a visit with the problems heard there; or, unticked, record one problem on its own. */
export function VisitForm({ enterprises }: { enterprises: Enterprise[] }) {
  const { t } = useApp();
  const { problems: store } = useDesk();
  const [orgId, setOrgId] = useState('');
  const [visitedOn, setVisitedOn] = useState(shanghaiDate(new Date()));
  const [notes, setNotes] = useState('');
  const [attendees, setAttendees] = useState('');
  const [items, setItems] = useState<DraftProblem[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const setItem = (i: number, patch: Partial<DraftProblem>) =>
    setItems(items.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const save = async (e: Event) => {
    e.preventDefault();
    if (!orgId || notes.trim() === '') return setMessage({ ok: false, text: t('desk.problems.textRequired') });
    setBusy(true);
    const r = await store.logVisit({
      orgId,
      visitedOn,
      notes: notes.trim(),
      attendees: attendees
        .split(/[,，、]/)
        .map((a) => a.trim())
        .filter(Boolean),
      problems: items
        .filter((p) => p.description.trim() !== '')
        .map((p) => ({ ...p, description: p.description.trim() })),
    });
    setBusy(false);
    if (!r.ok) return setMessage({ ok: false, text: deskFailureText(t, r.error) });
    setMessage({ ok: true, text: t('desk.visit.saved') });
    setNotes('');
    setAttendees('');
    setItems([]);
  };

  return (
    <form class="card visit-form" onSubmit={(e) => void save(e)}>
      <h2>{t('desk.visit.title')}</h2>
      <label>
        {t('desk.visit.org')}
        <select value={orgId} onChange={(e) => setOrgId(e.currentTarget.value)} required>
          <option value="">{t('desk.visit.orgPick')}</option>
          {enterprises.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('desk.visit.date')}
        <input
          type="date"
          value={visitedOn}
          max={shanghaiDate(new Date())}
          onChange={(e) => setVisitedOn(e.currentTarget.value)}
          required
        />
      </label>
      <label>
        {t('desk.visit.notes')}
        <textarea rows={3} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} required />
      </label>
      <label>
        {t('desk.visit.attendees')}
        <input value={attendees} onInput={(e) => setAttendees(e.currentTarget.value)} />
      </label>
      <fieldset>
        <legend>{t('desk.visit.problems')}</legend>
        {items.map((p, i) => (
          <div key={i} class="visit-problem">
            <select
              aria-label={t('desk.problems.filter.category')}
              value={p.category}
              onChange={(e) => setItem(i, { category: e.currentTarget.value as ProblemCategory })}
            >
              {PROBLEM_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`desk.problems.category.${c}`)}
                </option>
              ))}
            </select>
            <select
              aria-label={t('desk.problems.filter.urgency')}
              value={p.urgency}
              onChange={(e) => setItem(i, { urgency: e.currentTarget.value as Urgency })}
            >
              {URGENCIES.map((u) => (
                <option key={u} value={u}>
                  {t(`desk.problems.urgency.${u}`)}
                </option>
              ))}
            </select>
            <input
              aria-label={t('desk.problems.description')}
              placeholder={t('desk.problems.description')}
              value={p.description}
              onInput={(e) => setItem(i, { description: e.currentTarget.value })}
            />
            <button type="button" class="link-button" onClick={() => setItems(items.filter((_, j) => j !== i))}>
              {t('common.remove')}
            </button>
          </div>
        ))}
        <button
          type="button"
          class="secondary"
          onClick={() => setItems([...items, { category: 'sales', description: '', urgency: 'normal' }])}
        >
          {t('desk.visit.addProblem')}
        </button>
      </fieldset>
      <button type="submit" disabled={busy}>
        {t('desk.visit.save')}
      </button>
      {message ? <p class={message.ok ? 'alert alert-ok' : 'alert alert-error'}>{message.text}</p> : null}
    </form>
  );
}

/** A problem heard outside a visit (a phone call, a meeting): recorded on its own. */
export function RaiseProblemForm({ enterprises }: { enterprises: Enterprise[] }) {
  const { t } = useApp();
  const { problems: store } = useDesk();
  const [orgId, setOrgId] = useState('');
  const [item, setItem] = useState<DraftProblem>({ category: 'sales', description: '', urgency: 'normal' });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    if (!orgId || item.description.trim() === '')
      return setMessage({ ok: false, text: t('desk.problems.textRequired') });
    setBusy(true);
    const r = await store.raise({ orgId, ...item, description: item.description.trim() });
    setBusy(false);
    if (!r.ok) return setMessage({ ok: false, text: deskFailureText(t, r.error) });
    setMessage({ ok: true, text: t('desk.raise.saved') });
    setItem({ ...item, description: '' });
  };
  return (
    <details class="card">
      <summary>{t('desk.raise.title')}</summary>
      <form class="visit-form" onSubmit={(e) => void save(e)}>
        <label>
          {t('desk.problems.org')}
          <select value={orgId} onChange={(e) => setOrgId(e.currentTarget.value)} required>
            <option value="">{t('desk.visit.orgPick')}</option>
            {enterprises.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <div class="visit-problem">
          <select
            aria-label={t('desk.problems.filter.category')}
            value={item.category}
            onChange={(e) => setItem({ ...item, category: e.currentTarget.value as ProblemCategory })}
          >
            {PROBLEM_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`desk.problems.category.${c}`)}
              </option>
            ))}
          </select>
          <select
            aria-label={t('desk.problems.filter.urgency')}
            value={item.urgency}
            onChange={(e) => setItem({ ...item, urgency: e.currentTarget.value as Urgency })}
          >
            {URGENCIES.map((u) => (
              <option key={u} value={u}>
                {t(`desk.problems.urgency.${u}`)}
              </option>
            ))}
          </select>
        </div>
        <label>
          {t('desk.problems.description')}
          <textarea
            rows={2}
            value={item.description}
            onInput={(e) => setItem({ ...item, description: e.currentTarget.value })}
          />
        </label>
        <button type="submit" disabled={busy}>
          {t('desk.raise.save')}
        </button>
        {message ? <p class={message.ok ? 'alert alert-ok' : 'alert alert-error'}>{message.text}</p> : null}
      </form>
    </details>
  );
}
