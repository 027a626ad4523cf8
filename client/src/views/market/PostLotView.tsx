import { useEffect, useState } from 'preact/hooks';
import { findProduct } from '../../../../shared/domain/catalogue';
import { capacityWarning, defaultMinTakeGrams, type RegisteredCapacity } from '../../../../shared/domain/lots';
import type { MessageKey } from '../../i18n';
import {
  localInputValue,
  previewExpiry,
  priceUnitFor,
  readGrams,
  readLotForm,
  weightText,
  shortTime,
  type DisplayUnit,
  type FieldErrors,
  type LotFormBody,
  type LotFormInput,
  type PriceUnit,
} from '../../state/market-format';
import { marketHref } from '../../state/market-routes';
import type { Message } from '../../state/message';
import { readPriceWithin, weightProblem } from '../../state/unit-limits';
import { fieldWords, LOT_FORM_PATHS, placeFieldErrors, withoutField } from '../../state/field-errors';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { Alert } from '../components/Alert';
import { useMarket } from './context';
import { failureText, storageKey } from './bits';

const HOUR_MS = 3_600_000;
/** Most lots are posted soon after picking: one tap instead of a date picker. */
const HARVEST_AGO: readonly (readonly [number, MessageKey])[] = [
  [0, 'market.post.harvest.now'],
  [2, 'market.post.harvest.2h'],
  [6, 'market.post.harvest.6h'],
  [12, 'market.post.harvest.12h'],
  [24, 'market.post.harvest.24h'],
];

const UNIT_KEYS: Record<DisplayUnit, MessageKey> = { jin: 'market.unit.jin', kg: 'market.unit.kg', t: 'market.unit.t' };
const PRICE_KEYS: Record<PriceUnit, MessageKey> = { jin: 'market.priceUnit.jin', kg: 'market.priceUnit.kg' };
/** Which shown field an edit touches: changing the unit changes what the typed quantity means. */
const LOT_INPUT_FIELDS: Partial<Record<keyof LotFormInput, readonly string[]>> = {
  unit: ['quantity', 'minTakeGrams'],
  priceUnit: ['ask', 'reserve'],
  minTake: ['minTakeGrams'],
};

/** What of a lot form that reads well is beyond the API's limits: input name → the limit in the person's unit. */
function lotLimitProblems(form: LotFormInput, body: LotFormBody): Record<string, Message> {
  const out: Record<string, Message> = {};
  const quantity = weightProblem(body.quantityGrams, form.unit);
  if (quantity) out.quantity = quantity;
  const minTake =
    body.minTakeGrams === undefined ? null : weightProblem(body.minTakeGrams, form.unit, { max: 1_000_000 });
  if (minTake) out.minTakeGrams = minTake;
  for (const name of ['ask', 'reserve'] as const) {
    const price = readPriceWithin(form[name], form.priceUnit);
    if (!price.ok) out[name] = price.problem;
  }
  return out;
}

/** Post a lot in under 30 seconds on a phone: tap a product, type the weight and prices, done. */
export function PostLotView() {
  const { t, locale, say } = useApp();
  const { market, prefs } = useMarket();
  const { catalogue } = useStore(market);
  const { unit: preferred } = useStore(prefs);
  const [form, setForm] = useState<LotFormInput>(() => ({
    productCode: '',
    quantity: '',
    unit: preferred,
    harvestedAt: localInputValue(new Date()),
    storage: 'cold',
    reserve: '',
    ask: '',
    priceUnit: priceUnitFor(preferred),
  }));
  const [harvestChoice, setHarvestChoice] = useState<number | null>(0);
  const { now } = useStore(market);
  const [errors, setErrors] = useState<FieldErrors>({});
  // The server's own field messages (e.g. a quantity above its limit), cleared as the person edits that field.
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<LotFormInput>) => {
    setForm({ ...form, ...patch });
    const changed = Object.keys(patch).flatMap((k) => LOT_INPUT_FIELDS[k as keyof LotFormInput] ?? [k]);
    if (changed.some((name) => serverErrors[name] !== undefined)) setServerErrors(withoutField(serverErrors, changed));
  };
  // The registered capacity, for a warning (never a block) on quantities beyond it; null: none registered.
  const [capacity, setCapacity] = useState<RegisteredCapacity | null | undefined>(undefined);
  useEffect(() => {
    void market.registeredCapacity().then((r) => setCapacity(r.ok ? r.data : null));
  }, [market]);
  const typed = readGrams(form.quantity, form.unit);
  const warning =
    capacity !== undefined && typed.ok && form.productCode
      ? capacityWarning(typed.grams, form.productCode, capacity)
      : null;
  const expiry = previewExpiry(form);
  const product = findProduct(form.productCode);

  const submit = async (e: Event) => {
    e.preventDefault();
    const read = readLotForm(form);
    if (!read.ok) {
      setErrors(read.fields);
      return;
    }
    // The API's limits, checked here and said in the person's unit (100 吨 as 吨, a price per 斤 to the fen).
    const limits = lotLimitProblems(form, read.body);
    if (Object.keys(limits).length > 0) {
      setServerErrors(Object.fromEntries(Object.entries(limits).map(([k, m]) => [k, say(m)])));
      setFailure(t('common.fixFields'));
      return;
    }
    setErrors({});
    setServerErrors({});
    setFailure(null);
    setBusy(true);
    const r = await market.postLot(read.body);
    setBusy(false);
    if (!r.ok) {
      const placed = placeFieldErrors(r.error, LOT_FORM_PATHS, fieldWords(r.error, say, form.unit));
      setServerErrors(placed.fields);
      const also = placed.unplaced.length ? ` ${t('market.error.otherFields', { m: placed.unplaced.join('; ') })}` : '';
      setFailure(failureText(t, r.error) + also);
      return;
    }
    location.hash = marketHref({ name: 'mine' });
  };

  const fieldError = (name: string): string | null => {
    const key = errors[name];
    if (key) return t(key);
    const server = serverErrors[name];
    if (server === undefined) return null;
    return server || t('market.error.serverRefused');
  };
  const err = (name: string) => {
    const text = fieldError(name);
    return text ? (
      <span class="error" id={`${name}-error`}>
        {text}
      </span>
    ) : null;
  };
  const invalid = (name: string) =>
    fieldError(name) ? { 'aria-invalid': true, 'aria-describedby': `${name}-error` } : {};

  return (
    <Page title={t('market.post.title')}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend>{t('market.post.product')}</legend>
          <div class="product-grid" role="radiogroup" aria-label={t('market.post.product')}>
            {catalogue.map((p) => (
              <label key={p.code} class={form.productCode === p.code ? 'product-tile on' : 'product-tile'}>
                <input
                  type="radio"
                  name="productCode"
                  value={p.code}
                  checked={form.productCode === p.code}
                  onChange={() => set({ productCode: p.code })}
                />
                {locale === 'zh-CN' ? p.nameZh : p.nameEn}
              </label>
            ))}
          </div>
          {err('productCode')}
        </fieldset>

        <div class="field">
          <label for="lot-quantity">{t('market.post.quantity')}</label>
          <div class="with-units">
            <input
              id="lot-quantity"
              inputMode="decimal"
              value={form.quantity}
              onInput={(e) => set({ quantity: e.currentTarget.value })}
              {...invalid('quantity')}
            />
            <div class="unit-choice" role="group" aria-label={t('market.unit.label')}>
              {(['jin', 'kg', 't'] as const).map((u) => (
                <button
                  key={u}
                  type="button"
                  class={form.unit === u ? 'chip on' : 'chip'}
                  aria-pressed={form.unit === u}
                  onClick={() => {
                    // The person's unit is remembered for next time (and the rest of the app).
                    prefs.setUnit(u);
                    set({ unit: u, priceUnit: priceUnitFor(u) });
                  }}
                >
                  {t(UNIT_KEYS[u])}
                </button>
              ))}
            </div>
          </div>
          {err('quantity')}
          {warning ? (
            <span class="notice capacity-warning" role="status">
              {warning.kind === 'none_registered'
                ? t('market.post.capacityNone')
                : t('market.post.capacityOver', { w: weightText(warning.capacityGrams, locale, form.unit) })}
            </span>
          ) : null}
        </div>

        <fieldset>
          <legend>{t('market.post.storage')}</legend>
          <div class="grid2">
            {(['cold', 'ambient'] as const).map((s) => (
              <label key={s} class="choice">
                <input type="radio" name="storage" checked={form.storage === s} onChange={() => set({ storage: s })} />
                {t(storageKey(s))}
              </label>
            ))}
          </div>
        </fieldset>

        <div class="field">
          <span class="legend" id="harvest-label">
            {t('market.post.harvestedAt')}
          </span>
          <div class="unit-choice" role="group" aria-labelledby="harvest-label">
            {HARVEST_AGO.map(([hours, key]) => {
              const value = localInputValue(new Date(now - hours * HOUR_MS));
              return (
                <button
                  key={key}
                  type="button"
                  class={harvestChoice === hours ? 'chip on' : 'chip'}
                  aria-pressed={harvestChoice === hours}
                  onClick={() => {
                    setHarvestChoice(hours);
                    set({ harvestedAt: value });
                  }}
                >
                  {t(key)}
                </button>
              );
            })}
          </div>
          <details class="other-time" open={harvestChoice === null}>
            <summary onClick={() => setHarvestChoice(null)}>{t('market.post.otherTime')}</summary>
            <input
              id="lot-harvested"
              aria-label={t('market.post.harvestedAt')}
              type="datetime-local"
              value={form.harvestedAt}
              onInput={(e) => {
                setHarvestChoice(null);
                set({ harvestedAt: e.currentTarget.value });
              }}
              {...invalid('harvestedAt')}
            />
          </details>
          {err('harvestedAt')}
          {expiry && product ? (
            <span class="okay expiry-preview" role="status">
              {t('market.post.expiryPreview', { at: shortTime(expiry), h: product.shelfLifeHours[form.storage] })}
            </span>
          ) : null}
        </div>

        <div class="field">
          <span class="legend">{t('market.post.priceUnit')}</span>
          <div class="unit-choice" role="group" aria-label={t('market.post.priceUnit')}>
            {(['jin', 'kg'] as const).map((u) => (
              <button
                key={u}
                type="button"
                class={form.priceUnit === u ? 'chip on' : 'chip'}
                aria-pressed={form.priceUnit === u}
                onClick={() => set({ priceUnit: u })}
              >
                {t(PRICE_KEYS[u])}
              </button>
            ))}
          </div>
        </div>
        <div class="grid2">
          <div class="field">
            <label for="lot-ask">{t('market.post.ask', { per: t(PRICE_KEYS[form.priceUnit]) })}</label>
            <input
              id="lot-ask"
              inputMode="decimal"
              value={form.ask}
              onInput={(e) => set({ ask: e.currentTarget.value })}
              {...invalid('ask')}
            />
            {err('ask')}
          </div>
          <div class="field">
            <label for="lot-reserve">{t('market.post.reserve', { per: t(PRICE_KEYS[form.priceUnit]) })}</label>
            <input
              id="lot-reserve"
              inputMode="decimal"
              value={form.reserve}
              onInput={(e) => set({ reserve: e.currentTarget.value })}
              {...invalid('reserve')}
            />
            {err('reserve')}
          </div>
        </div>
        <p class="hint muted">{t('market.post.reserveHint')}</p>
        <div class="field">
          <label for="lot-min-take">{t('market.post.minTake', { unit: t(UNIT_KEYS[form.unit]) })}</label>
          <input
            id="lot-min-take"
            inputMode="decimal"
            value={form.minTake ?? ''}
            onInput={(e) => set({ minTake: e.currentTarget.value })}
            {...invalid('minTakeGrams')}
          />
          {err('minTakeGrams')}
          {product ? (
            <span class="hint muted">
              {t('market.post.minTakeHint', {
                w: weightText(defaultMinTakeGrams(product.code), locale, form.unit),
              })}
            </span>
          ) : null}
        </div>
        {failure ? <Alert kind="error">{failure}</Alert> : null}
        <button type="submit" class="block big-button" disabled={busy}>
          {busy ? t('common.working') : t('market.post.submit')}
        </button>
      </form>
    </Page>
  );
}
