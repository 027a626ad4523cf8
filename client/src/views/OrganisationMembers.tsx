import type { Organisation } from '../../../shared/schemas/accounts';
import { failureTitle } from '../state/form';
import { useApp } from './context';
import { useStore } from './use-store';
import { Alert } from './components/Alert';
import { CopyButton } from './components/CopyButton';

/** Chamber view of one organisation's people: reset a forgotten password. */
export function OrganisationMembers({ org }: { org: Organisation }) {
  const { t, say, queue } = useApp();
  const { members } = useStore(queue);
  if (!members) return null;
  const reset = (id: string, name: string) => {
    if (window.confirm(t('queue.resetConfirm', { name }))) void queue.resetPassword(id);
  };
  return (
    <section aria-label={t('queue.membersTitle', { name: org.name })}>
      <h2>{t('queue.membersTitle', { name: org.name })}</h2>
      {members.error ? <Alert kind="error" title={say(failureTitle(members.error).title)} /> : null}
      {members.reset ? (
        <Alert kind="ok" title={t('queue.resetDone', { name: members.reset.displayName })}>
          <div class="secret">
            <code id="reset-otp" class="mono">
              {members.reset.oneTimePassword}
            </code>
            <CopyButton text={members.reset.oneTimePassword} targetId="reset-otp" />
          </div>
        </Alert>
      ) : null}
      {members.users === null && !members.error ? <p>{t('app.loading')}</p> : null}
      {members.users ? (
        <ul class="plain">
          {members.users.map((u) => (
            <li key={u.id}>
              <span>
                <strong>{u.displayName}</strong> <span class="badge">{t(`org.role.${u.role}`)}</span>
                <br />
                <span class="muted">{[u.phone, u.email].filter(Boolean).join(' · ')}</span>
              </span>
              <button
                type="button"
                class="secondary"
                disabled={members.busyUserId === u.id}
                onClick={() => reset(u.id, u.displayName)}
              >
                {t('queue.resetPassword')}
                <span class="sr-only"> {u.displayName}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
