import type { Organisation } from '../../../../shared/schemas/accounts';
import { formatDateTime } from '../../state/format';
import { useApp } from '../context';

/**
 * The organisation's verification state, always visible on its page. It is a live region:
 * when a socket event changes the state, screen readers announce the new banner.
 */
export function VerificationBanner({ organisation, live }: { organisation: Organisation; live: boolean }) {
  const { t } = useApp();
  const v = organisation.verification;
  return (
    <div class={`alert status-${v}`} role="status" aria-live="polite" data-verification={v}>
      <strong>{t(`org.status.${v}`)}</strong>
      <p>{t(`org.banner.${v}`)}</p>
      {organisation.verificationReason && (v === 'rejected' || v === 'suspended') ? (
        <p>{t('org.banner.reason', { reason: organisation.verificationReason })}</p>
      ) : null}
      {live && organisation.verificationDecidedAt ? (
        <p class="muted">
          {t('org.banner.updatedLive')} · {formatDateTime(organisation.verificationDecidedAt)}
        </p>
      ) : null}
    </div>
  );
}

export function StatusBadge({ state }: { state: Organisation['verification'] }) {
  const { t } = useApp();
  return <span class={`badge status-${state}`}>{t(`org.status.${state}`)}</span>;
}
