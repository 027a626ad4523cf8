/**
 * The foot of an inline action form on a card (an offer row, a proposed order, an order): the action's button
 * and 取消, and the card's problem line. One shape for every card, so they look and read alike.
 */
import { useApp } from '../context';

interface SendOrCancelProps {
  label: string;
  onSend(): void;
  onCancel(): void;
  disabled?: boolean;
  /** `danger` for what cannot be undone (reject, decline, cancel, dispute). */
  kind?: 'primary' | 'danger';
}

export function SendOrCancel({ label, onSend, onCancel, disabled, kind = 'primary' }: SendOrCancelProps) {
  const { t } = useApp();
  return (
    <div class="actions">
      <button type="button" class={kind === 'danger' ? 'danger' : undefined} disabled={disabled} onClick={onSend}>
        {label}
      </button>
      <button type="button" class="secondary" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}

/** What went wrong with the card's last action (nothing when all is well). */
export function ProblemLine({ text }: { text: string | null }) {
  return text ? (
    <p class="error" role="alert">
      {text}
    </p>
  ) : null;
}
