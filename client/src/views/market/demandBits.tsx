/** Pieces the demand forms share: unit chips, a field's problem, and our words for demand refusals. */
import type { MessageKey, Translate } from '../../i18n';
import type { ApiFailure } from '../../state/apiResult';
import type { FieldProblems } from '../../state/demandForms';
import type { DisplayUnit, PriceUnit } from '../../state/marketFormat';
import { useApp } from '../context';
import { failureText } from './bits';

const UNIT_KEYS: Record<DisplayUnit, MessageKey> = { jin: 'market.unit.jin', kg: 'market.unit.kg', t: 'market.unit.t' };
export const PRICE_KEYS: Record<PriceUnit, MessageKey> = { jin: 'market.priceUnit.jin', kg: 'market.priceUnit.kg' };

const DEMAND_CODES: Partial<Record<string, MessageKey>> = {
  DEMAND_CLOSED: 'market.code.DEMAND_CLOSED',
  LOT_EXPIRES_BEFORE_NEEDED: 'market.code.LOT_EXPIRES_BEFORE_NEEDED',
  WRONG_PRODUCT: 'market.sell.error.lotUnfit',
  COUNTERPARTY_NOT_VERIFIED: 'market.code.COUNTERPARTY_NOT_VERIFIED',
  NEEDED_BY_IN_PAST: 'market.demand.error.past',
  WINDOW_ENDS_BEFORE_START: 'market.demand.error.window',
  DELIVERY_ADDRESS_REQUIRED: 'market.demand.error.addressNeeded',
  END_BEFORE_START: 'market.standing.error.endBeforeStart',
};

/** The market's words for a refusal, with the demand codes the shared list does not know. */
export function demandFailureText(t: Translate, error: ApiFailure): string {
  const key = DEMAND_CODES[error.code];
  return key ? t(key) : failureText(t, error);
}

/** The problems left once the person changed `changed` (a unit change counts for its number). */
export function withoutChanged(problems: FieldProblems, changed: readonly string[]): FieldProblems {
  const gone = new Set(changed.flatMap((k) => (k === 'unit' ? ['quantity'] : k === 'priceUnit' ? ['price', 'maxPrice'] : k === 'tolerance' ? ['extraPercent', 'discountPercent'] : [k])));
  return Object.fromEntries(Object.entries(problems).filter(([k]) => !gone.has(k)));
}

/** The problem with one input, rendered under it, and the attributes that tie the input to it. */
export function useFieldProblems(form: string, problems: FieldProblems) {
  const { say } = useApp();
  const id = (name: string) => `${form}-${name}-error`;
  return {
    err: (name: string) => {
      const p = problems[name];
      return p ? (
        <span class="error" id={id(name)}>
          {say(p)}
        </span>
      ) : null;
    },
    invalid: (name: string) => (problems[name] ? { 'aria-invalid': true, 'aria-describedby': id(name) } : {}),
  };
}

export function UnitChips({ value, onChange }: { value: DisplayUnit; onChange: (u: DisplayUnit) => void }) {
  const { t } = useApp();
  return (
    <div class="unit-choice" role="group" aria-label={t('market.unit.label')}>
      {(['jin', 'kg', 't'] as const).map((u) => (
        <button key={u} type="button" class={value === u ? 'chip on' : 'chip'} aria-pressed={value === u} onClick={() => onChange(u)}>
          {t(UNIT_KEYS[u])}
        </button>
      ))}
    </div>
  );
}

export function PriceUnitChips({ value, onChange }: { value: PriceUnit; onChange: (u: PriceUnit) => void }) {
  const { t } = useApp();
  return (
    <div class="unit-choice" role="group" aria-label={t('market.post.priceUnit')}>
      {(['jin', 'kg'] as const).map((u) => (
        <button key={u} type="button" class={value === u ? 'chip on' : 'chip'} aria-pressed={value === u} onClick={() => onChange(u)}>
          {t(PRICE_KEYS[u])}
        </button>
      ))}
    </div>
  );
}
