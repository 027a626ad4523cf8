import { useEffect, useState } from 'preact/hooks';
import type { Organisation, VerificationAction } from '../../../shared/schemas/accounts';
import { VERIFICATION_STATES } from '../state/constants';
import { ACTIONS_FROM, needsReason, type QueueFilter } from '../state/queue';
import { failureTitle } from '../state/form';
import { formatDateTime } from '../state/format';
import { useApp } from './context';
import { useStore } from './use-store';
import { Page } from './components/Page';
import { Alert } from './components/Alert';
import { StatusBadge } from './components/VerificationBanner';
import { addressText } from './components/address-text';
import { AuditTrail } from './AuditTrail';
import { OrganisationMembers } from './OrganisationMembers';
import { LoadMore } from './market/list-paging';

const FILTERS: readonly QueueFilter[] = [...VERIFICATION_STATES, 'all'];

export function QueueView() {
  const { t, say, queue } = useApp();
  const state = useStore(queue);
  const [search, setSearch] = useState(state.query);

  useEffect(() => {
    void queue.load();
  }, []);

  const act = (org: Organisation, action: VerificationAction) => {
    queue.startDecision(org.id, action);
    if (!needsReason(action)) void queue.confirmDecision();
    else requestAnimationFrame(() => document.getElementById('decision-reason')?.focus());
  };

  return (
    <Page title={t('queue.title')} wide>
      <p class="muted">{t('queue.intro')}</p>
      <div class="filters">
        <label for="queue-filter">{t('queue.filter')}</label>
        <select
          id="queue-filter"
          value={state.filter}
          onChange={(e) => void queue.load(e.currentTarget.value as QueueFilter)}
        >
          {FILTERS.map((f) => (
            <option key={f} value={f}>
              {t(`queue.filter.${f}`)}
            </option>
          ))}
        </select>
        <button type="button" class="secondary" onClick={() => void queue.load()} disabled={state.loading}>
          {t('queue.refresh')}
        </button>
        <form
          class="filters"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            void queue.load(state.filter, search);
          }}
        >
          <label for="queue-search">{t('queue.search')}</label>
          <input id="queue-search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          <button type="submit" class="secondary">
            {t('queue.searchSubmit')}
          </button>
        </form>
      </div>
      <div aria-live="polite">
        {state.done ? (
          <Alert
            kind="ok"
            title={t('queue.done', { action: t(`queue.${state.done.action}`), name: state.done.name })}
          />
        ) : null}
      </div>
      {state.error ? <Alert kind="error" title={say(failureTitle(state.error).title)} /> : null}
      {state.organisations === null ? (
        <p>{t('app.loading')}</p>
      ) : state.organisations.length === 0 ? (
        <p>{t('queue.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="queue">
            <caption class="sr-only">{t('queue.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('queue.col.name')}</th>
                <th scope="col">{t('queue.col.creditCode')}</th>
                <th scope="col">{t('queue.col.address')}</th>
                <th scope="col">{t('queue.col.submittedAt')}</th>
                <th scope="col">{t('queue.col.status')}</th>
                <th scope="col">{t('queue.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {state.organisations.map((org) => {
                const draft = state.draft?.organisationId === org.id ? state.draft : null;
                return [
                  <tr
                    key={org.id}
                    class={
                      draft || state.audit?.organisationId === org.id || state.members?.organisationId === org.id
                        ? 'selected'
                        : undefined
                    }
                    data-org={org.id}
                  >
                    <th scope="row">
                      {org.name}
                      <br />
                      <span class="muted">
                        {t(`kind.short.${org.kind}`)} · {org.contactPhone}
                      </span>
                    </th>
                    <td class="mono" data-label={t('queue.col.creditCode')}>
                      {org.creditCode}
                    </td>
                    <td data-label={t('queue.col.address')}>{addressText(org.address)}</td>
                    <td data-label={t('queue.col.submittedAt')}>{formatDateTime(org.createdAt)}</td>
                    <td>
                      <StatusBadge state={org.verification} />
                      {org.verificationReason ? <div class="muted">{org.verificationReason}</div> : null}
                    </td>
                    <td>
                      <div class="actions">
                        {ACTIONS_FROM[org.verification].map((action) => (
                          <button
                            key={action}
                            type="button"
                            class={needsReason(action) ? 'danger' : undefined}
                            disabled={Boolean(state.draft?.sending)}
                            onClick={() => act(org, action)}
                            aria-label={`${t(`queue.${action}`)} ${org.name}`}
                          >
                            {t(`queue.${action}`)}
                          </button>
                        ))}
                        <button
                          type="button"
                          class="secondary"
                          aria-expanded={state.members?.organisationId === org.id}
                          onClick={() =>
                            state.members?.organisationId === org.id
                              ? queue.hideMembers()
                              : void queue.showMembers(org.id)
                          }
                          aria-label={`${t('queue.members')} ${org.name}`}
                        >
                          {t('queue.members')}
                        </button>
                        <button
                          type="button"
                          class="secondary"
                          aria-expanded={state.audit?.organisationId === org.id}
                          onClick={() =>
                            state.audit?.organisationId === org.id ? queue.hideAudit() : void queue.showAudit(org.id)
                          }
                          aria-label={`${t('queue.audit')} ${org.name}`}
                        >
                          {t('queue.audit')}
                        </button>
                      </div>
                    </td>
                  </tr>,
                  draft && (needsReason(draft.action) || draft.error) ? (
                    <tr key={`${org.id}-draft`} class="selected">
                      <td colSpan={6}>
                        <DecisionForm org={org} />
                      </td>
                    </tr>
                  ) : null,
                  state.members?.organisationId === org.id ? (
                    <tr key={`${org.id}-members`} class="selected">
                      <td colSpan={6}>
                        <OrganisationMembers org={org} />
                      </td>
                    </tr>
                  ) : null,
                  state.audit?.organisationId === org.id ? (
                    <tr key={`${org.id}-audit`} class="selected">
                      <td colSpan={6}>
                        <AuditTrail org={org} />
                      </td>
                    </tr>
                  ) : null,
                ];
              })}
            </tbody>
          </table>
        </div>
      )}
      {state.organisations && state.organisations.length > 0 ? (
        <LoadMore
          hasMore={state.cursor !== null}
          loading={state.loadingMore}
          onMore={() => void queue.loadMore()}
          end="queue.end"
        />
      ) : null}
    </Page>
  );
}

function DecisionForm({ org }: { org: Organisation }) {
  const { t, say, queue } = useApp();
  const { draft } = useStore(queue);
  if (!draft) return null;
  const actionText = t(`queue.${draft.action}`);
  const missingReason = draft.error?.code === 'VALIDATION' && 'reason' in draft.error.fields;
  const submit = (e: Event) => {
    e.preventDefault();
    void queue.confirmDecision();
  };
  return (
    <form onSubmit={submit} noValidate>
      {draft.error && !missingReason ? <Alert kind="error" title={say(failureTitle(draft.error).title)} /> : null}
      {needsReason(draft.action) ? (
        <div class="field">
          <label for="decision-reason">{t('queue.reasonFor', { action: actionText, name: org.name })}</label>
          <textarea
            id="decision-reason"
            rows={2}
            maxLength={500}
            value={draft.reason}
            onInput={(e) => queue.setReason(e.currentTarget.value)}
            aria-invalid={missingReason ? 'true' : undefined}
            aria-describedby={missingReason ? 'decision-reason-error' : undefined}
            required
          />
          {missingReason ? (
            <span class="error" id="decision-reason-error" role="alert">
              {t('validation.required')}
            </span>
          ) : null}
        </div>
      ) : null}
      <div class="actions">
        <button type="submit" class={needsReason(draft.action) ? 'danger' : undefined} disabled={draft.sending}>
          {draft.sending ? t('common.working') : t('queue.confirmAction', { action: actionText })}
        </button>
        <button type="button" class="secondary" onClick={() => queue.cancelDecision()}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
