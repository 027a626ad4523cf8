import type { Organisation } from '../../../shared/schemas/accounts';
import { failureTitle } from '../state/form';
import { formatDateTime } from '../state/format';
import { useApp } from './context';
import { useStore } from './use-store';
import { Alert } from './components/Alert';
import { StatusBadge } from './components/VerificationBanner';

export function AuditTrail({ org }: { org: Organisation }) {
  const { t, say, queue } = useApp();
  const { audit } = useStore(queue);
  if (!audit) return null;
  return (
    <section aria-label={t('queue.auditTitle', { name: org.name })}>
      <h2>{t('queue.auditTitle', { name: org.name })}</h2>
      {audit.error ? <Alert kind="error" title={say(failureTitle(audit.error).title)} /> : null}
      {audit.entries === null && !audit.error ? <p>{t('app.loading')}</p> : null}
      {audit.entries && audit.entries.length === 0 ? <p>{t('queue.auditEmpty')}</p> : null}
      {audit.entries && audit.entries.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('audit.at')}</th>
              <th scope="col">{t('audit.by')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {audit.entries.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(e.at)}</td>
                <td>{e.actor.displayName}</td>
                <td>
                  {t(`queue.${e.action}`)}: <StatusBadge state={e.from} /> → <StatusBadge state={e.to} />
                </td>
                <td>{e.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
