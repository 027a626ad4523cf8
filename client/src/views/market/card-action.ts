/** How an action card on the market pages sends an action and shows what was refused (at the fields first). */
import { useState } from 'preact/hooks';
import type { ApiFailure } from '../../state/api-result';
import type { FieldErrorsHandle } from '../components/use-field-errors';
import { useApp } from '../context';
import { failureText } from './bits';

export interface CardAction {
  busy: boolean;
  /** The card's general line: a refusal no field shows, or "fix the fields in red" when they do. */
  problem: string | null;
  setProblem(text: string | null): void;
  /** Our own problems found before sending, at their inputs (the first focused), and 请修改标红的项目 on the card. */
  refuse(fields: Record<string, string>): void;
  /**
   * Sends an action: on failure its field errors go to the inputs (the first focused) and the rest to the
   * general line; true when it succeeded.
   */
  run(action: () => Promise<{ ok: true } | { ok: false; error: ApiFailure }>): Promise<boolean>;
}

/** The one way an action card (an offer row, an order, a proposed order, a delivery edit) sends and shows refusals. */
export function useCardAction(handle: FieldErrorsHandle): CardAction {
  const { t } = useApp();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  return {
    busy,
    problem,
    setProblem,
    refuse(fields) {
      handle.showLocal(fields);
      setProblem(Object.keys(fields).length > 0 ? t('common.fixFields') : null);
    },
    async run(action) {
      setBusy(true);
      setProblem(null);
      handle.clear();
      const r = await action();
      setBusy(false);
      if (r.ok) return true;
      const unplaced = handle.show(r.error);
      const placed = Object.keys(r.error.fields).length > unplaced.length;
      setProblem([placed ? t('common.fixFields') : failureText(t, r.error), ...unplaced].join(' '));
      return false;
    },
  };
}
