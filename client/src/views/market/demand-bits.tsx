/**
 * Pieces the demand forms share: the submit cycle (form, field problems, busy, done), the product,
 * quantity and price fields with their unit chips, a field's problem, and our words for refusals.
 */
import { useState } from 'preact/hooks';
import type { MessageKey, Translate } from '../../i18n';
import type { ApiFailure } from '../../state/api-result';
import type { SubmitOutcome } from '../../state/demand';
import type { FieldProblems } from '../../state/demand-forms';
import type { DisplayUnit, PriceUnit } from '../../state/market-format';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { useMarket } from './context';
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
  const gone = new Set(
    changed.flatMap((k) =>
      k === 'unit'
        ? ['quantity']
        : k === 'priceUnit'
          ? ['price', 'maxPrice']
          : k === 'tolerance'
            ? ['extraPercent', 'discountPercent']
            : [k],
    ),
  );
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

function UnitChips({ value, onChange }: { value: DisplayUnit; onChange: (u: DisplayUnit) => void }) {
  const { t } = useApp();
  return (
    <div class="unit-choice" role="group" aria-label={t('market.unit.label')}>
      {(['jin', 'kg', 't'] as const).map((u) => (
        <button
          key={u}
          type="button"
          class={value === u ? 'chip on' : 'chip'}
          aria-pressed={value === u}
          onClick={() => onChange(u)}
        >
          {t(UNIT_KEYS[u])}
        </button>
      ))}
    </div>
  );
}

function PriceUnitChips({ value, onChange }: { value: PriceUnit; onChange: (u: PriceUnit) => void }) {
  const { t } = useApp();
  return (
    <div class="unit-choice" role="group" aria-label={t('market.post.priceUnit')}>
      {(['jin', 'kg'] as const).map((u) => (
        <button
          key={u}
          type="button"
          class={value === u ? 'chip on' : 'chip'}
          aria-pressed={value === u}
          onClick={() => onChange(u)}
        >
          {t(PRICE_KEYS[u])}
        </button>
      ))}
    </div>
  );
}

/**
 * One form's submit cycle: editing a field clears its problem and the "sent" message; a refusal puts
 * the server's field problems by their fields (or says what went wrong); a success starts over with
 * `next(form)` (keeping, say, the chosen unit).
 */
export function useDemandForm<F extends object>(
  prefix: string,
  initial: () => F,
  send: (form: F) => Promise<SubmitOutcome<unknown>>,
  next: (form: F) => F,
) {
  const { t } = useApp();
  const [form, setForm] = useState<F>(initial);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<F>) => {
    setForm({ ...form, ...patch });
    setProblems(withoutChanged(problems, Object.keys(patch)));
    setDone(false);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    const r = await send(form);
    setBusy(false);
    if (r.ok) {
      setProblems({});
      setDone(true);
      setForm(next(form));
      return;
    }
    setProblems(r.fields);
    setFailure(r.error ? demandFailureText(t, r.error) : t('common.fixFields'));
  };
  return { form, set, failure, done, busy, submit, ...useFieldProblems(prefix, problems) };
}

type FieldProblemsView = ReturnType<typeof useFieldProblems>;

/** The catalogue as a picker (field `productCode`). */
export function ProductField({
  prefix,
  value,
  onChange,
  view,
}: {
  prefix: string;
  value: string;
  onChange: (code: string) => void;
  view: FieldProblemsView;
}) {
  const { t, locale } = useApp();
  const { market } = useMarket();
  const { catalogue } = useStore(market);
  return (
    <div class="field">
      <label for={`${prefix}-product`}>{t('market.demand.product')}</label>
      <select
        id={`${prefix}-product`}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        {...view.invalid('productCode')}
      >
        <option value="">{t('market.demand.choose')}</option>
        {catalogue.map((p) => (
          <option key={p.code} value={p.code}>
            {locale === 'zh-CN' ? p.nameZh : p.nameEn}
          </option>
        ))}
      </select>
      {view.err('productCode')}
    </div>
  );
}

/** A number typed in the person's weight unit (field `quantity`), the unit chips beside it. */
export function QuantityField(props: {
  prefix: string;
  label: string;
  value: string;
  unit: DisplayUnit;
  onInput: (v: string) => void;
  onUnit: (u: DisplayUnit) => void;
  view: FieldProblemsView;
}) {
  const { prefix, label, value, unit, onInput, onUnit, view } = props;
  return (
    <div class="field">
      <label for={`${prefix}-quantity`}>{label}</label>
      <div class="with-units">
        <input
          id={`${prefix}-quantity`}
          inputMode="decimal"
          value={value}
          onInput={(e) => onInput(e.currentTarget.value)}
          {...view.invalid('quantity')}
        />
        <UnitChips value={unit} onChange={onUnit} />
      </div>
      {view.err('quantity')}
    </div>
  );
}

/** A price in 元 per 斤 or per 公斤 (field `name`), the price-unit chips beside it. */
export function PriceField(props: {
  prefix: string;
  name: string;
  label: string;
  value: string;
  unit: PriceUnit;
  onInput: (v: string) => void;
  onUnit: (u: PriceUnit) => void;
  view: FieldProblemsView;
}) {
  const { prefix, name, label, value, unit, onInput, onUnit, view } = props;
  return (
    <div class="field">
      <label for={`${prefix}-price`}>{label}</label>
      <div class="with-units">
        <input
          id={`${prefix}-price`}
          inputMode="decimal"
          value={value}
          onInput={(e) => onInput(e.currentTarget.value)}
          {...view.invalid(name)}
        />
        <PriceUnitChips value={unit} onChange={onUnit} />
      </div>
      {view.err(name)}
    </div>
  );
}
