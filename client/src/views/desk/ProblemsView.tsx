import { useEffect, useState } from 'preact/hooks';
import { PROBLEM_CATEGORIES, PROBLEM_STATUSES, URGENCIES } from '../../../../shared/domain/desk/problems';
import { formatDateTime } from '../../state/format';
import { nextActions, type ProblemAction } from '../../state/desk-problems';
import type { ProblemCategory, ProblemRow, ProblemStatus, Urgency } from '../../state/desk-types';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { LoadMore } from '../market/list-paging';
import { Page } from '../components/Page';
import { useDesk } from './context';
import { DeskTabs, deskFailureText } from './bits';
import { RaiseProblemForm, VisitForm, useEnterprises } from './VisitForm';

/** 走访调研 and 问题清单: log visits, record problems, move them along, link deals. */
export function ProblemsView() {
  const { t } = useApp();
  const { problems: store } = useDesk();
  const {
    problems,
    problemsCursor,
    loadingMoreProblems,
    counts,
    visits,
    visitsCursor,
    loadingMoreVisits,
    filter,
    error,
  } = useStore(store);
  const enterprises = useEnterprises();
  const nameOf = (orgId: string) =>
    enterprises.find((o) => o.id === orgId)?.name ?? visits.find((v) => v.orgId === orgId)?.orgName ?? '—';
  useEffect(() => {
    void store.load();
  }, [store]);

  return (
    <Page title={t('desk.problems.title')} wide>
      <DeskTabs current="problems" />
      {counts ? (
        <p class="problem-summary" data-testid="problem-summary">
          {t('desk.problems.summary', {
            raised: counts.raised,
            resolved: counts.resolved,
            onSite: counts.resolvedOnSite,
          })}
        </p>
      ) : null}
      {error ? <p class="alert alert-error">{deskFailureText(t, error)}</p> : null}
      <div class="desk-columns problems-layout">
        <section class="card">
          <div class="desk-toolbar">
            <label>
              {t('desk.problems.filter.status')}
              <select
                value={filter.status ?? ''}
                onChange={(e) => void store.setFilter({ status: e.currentTarget.value as ProblemStatus | '' })}
              >
                <option value="">{t('desk.problems.filter.all')}</option>
                {PROBLEM_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`desk.problems.status.${s}`)} ({counts?.byStatus[s] ?? 0})
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('desk.problems.filter.category')}
              <select
                value={filter.category ?? ''}
                onChange={(e) => void store.setFilter({ category: e.currentTarget.value as ProblemCategory | '' })}
              >
                <option value="">{t('desk.problems.filter.all')}</option>
                {PROBLEM_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {t(`desk.problems.category.${c}`)} ({counts?.byCategory[c].raised ?? 0})
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('desk.problems.filter.urgency')}
              <select
                value={filter.urgency ?? ''}
                onChange={(e) => void store.setFilter({ urgency: e.currentTarget.value as Urgency | '' })}
              >
                <option value="">{t('desk.problems.filter.all')}</option>
                {URGENCIES.map((u) => (
                  <option key={u} value={u}>
                    {t(`desk.problems.urgency.${u}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {problems.length === 0 ? <p class="muted">{t('desk.problems.empty')}</p> : null}
          <ul class="plain-cards problem-list">
            {problems.map((p) => (
              <ProblemCard key={p.id} problem={p} orgName={nameOf(p.orgId)} />
            ))}
          </ul>
          <LoadMore
            hasMore={problemsCursor !== null}
            loading={loadingMoreProblems}
            onMore={() => void store.loadMoreProblems()}
            {...(problems.length > 0 ? { end: 'desk.list.end' as const } : {})}
          />
        </section>
        <div>
          <VisitForm enterprises={enterprises} />
          <RaiseProblemForm enterprises={enterprises} />
          <section class="card">
            <h2>{t('desk.visit.recent')}</h2>
            {visits.length === 0 ? <p class="muted">{t('desk.visit.none')}</p> : null}
            <ul class="plain desk-list">
              {visits.map((v) => (
                <li key={v.id}>
                  <strong>{v.orgName ?? nameOf(v.orgId)}</strong>
                  <span class="muted small">
                    {v.visitedOn.replace(/-/g, '/')} · {v.staff.map((s) => s.name).join('、')}
                  </span>
                  <span>{v.notes}</span>
                </li>
              ))}
            </ul>
            <LoadMore
              hasMore={visitsCursor !== null}
              loading={loadingMoreVisits}
              onMore={() => void store.loadMoreVisits()}
              {...(visits.length > 0 ? { end: 'desk.list.end' as const } : {})}
            />
          </section>
        </div>
      </div>
    </Page>
  );
}

function ProblemCard({ problem, orgName }: { problem: ProblemRow; orgName: string }) {
  const { t, session } = useApp();
  const { problems: store } = useDesk();
  const { me } = useStore(session);
  const [mode, setMode] = useState<ProblemAction['type'] | 'link' | null>(null);
  const [text, setText] = useState('');
  const [onSite, setOnSite] = useState(false);
  const [problemText, setProblemText] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (
    action: () => Promise<{ ok: true } | { ok: false; error: Parameters<typeof deskFailureText>[1] } | null>,
  ) => {
    setBusy(true);
    setProblemText(null);
    const r = await action();
    setBusy(false);
    if (r && !r.ok) {
      setProblemText(deskFailureText(t, r.error));
      if (r.error.code === 'STALE' || r.error.code === 'WRONG_STATUS') void store.load();
    } else {
      setMode(null);
      setText('');
    }
  };
  const confirm = () => {
    if (mode === null) return;
    if (mode !== 'start' && text.trim() === '') return setProblemText(t('desk.problems.textRequired'));
    if (mode === 'link') return void run(() => store.link(problem.id, text));
    const action: ProblemAction =
      mode === 'start'
        ? { type: 'start' }
        : mode === 'resolve'
          ? { type: 'resolve', resolution: text.trim(), resolvedOnSite: onSite }
          : { type: 'reopen', reason: text.trim() };
    void run(() => store.act(problem.id, action));
  };

  return (
    <li class={`card problem problem-${problem.status}`} data-problem={problem.id}>
      <div class="problem-head">
        <span class={`badge status-${problem.status}`}>{t(`desk.problems.status.${problem.status}`)}</span>
        <span class="badge">{t(`desk.problems.category.${problem.category}`)}</span>
        <span class={`badge urgency-${problem.urgency}`}>{t(`desk.problems.urgency.${problem.urgency}`)}</span>
        <strong>{orgName}</strong>
      </div>
      <p>{problem.description}</p>
      <p class="muted small">
        {t('desk.problems.raisedAt')} {formatDateTime(problem.createdAt)} · {problem.raisedBy.name}
        {problem.visitId ? ` · ${t('desk.problems.onVisit')}` : ''} ·{' '}
        {t('desk.problems.assigneeIs', { name: problem.assignee?.name ?? t('desk.problems.unassigned') })}
      </p>
      {problem.resolution ? (
        <p>
          <strong>{t('desk.problems.resolutionIs')}</strong> {problem.resolution}{' '}
          {problem.resolvedOnSite ? <span class="badge">{t('desk.problems.onSite')}</span> : null}
        </p>
      ) : null}
      {problem.orderIds.length > 0 ? (
        <p class="muted small">{t('desk.problems.linksAre', { ids: problem.orderIds.join('、') })}</p>
      ) : null}
      <div class="desk-toolbar">
        {nextActions(problem.status).map((a) => (
          <button
            key={a}
            type="button"
            class={a === 'resolve' ? '' : 'secondary'}
            disabled={busy}
            onClick={() => (a === 'start' ? void run(() => store.act(problem.id, { type: 'start' })) : setMode(a))}
          >
            {t(`desk.problems.action.${a}`)}
          </button>
        ))}
        {me && problem.assignee?.userId !== me.user.id && problem.status !== 'resolved' ? (
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() => void run(() => store.assign(problem.id, { userId: me.user.id, name: me.user.displayName }))}
          >
            {t('desk.problems.assignMe')}
          </button>
        ) : null}
        <button type="button" class="secondary" onClick={() => setMode('link')}>
          {t('desk.problems.link')}
        </button>
      </div>
      {mode && mode !== 'start' ? (
        <div class="problem-form">
          <label>
            {mode === 'resolve'
              ? t('desk.problems.resolution')
              : mode === 'reopen'
                ? t('desk.problems.reason')
                : t('desk.problems.linkIds')}
            <textarea rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          </label>
          {mode === 'resolve' && problem.visitId ? (
            <label class="inline">
              <input type="checkbox" checked={onSite} onChange={(e) => setOnSite(e.currentTarget.checked)} />{' '}
              {t('desk.problems.onSite')}
            </label>
          ) : null}
          <div class="desk-toolbar">
            <button type="button" disabled={busy} onClick={confirm}>
              {t('desk.problems.confirm')}
            </button>
            <button type="button" class="secondary" onClick={() => setMode(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : null}
      {problemText ? <p class="field-error">{problemText}</p> : null}
    </li>
  );
}
