import { useState } from 'preact/hooks';
import type { DemandStore } from '../../state/demand';
import type { DemandView, FieldProblems, SellOfferFormInput } from '../../state/demand-forms';
import { priceInputValue, priceUnitFor, shortTime, type DisplayUnit } from '../../state/market-format';
import { marketHref } from '../../state/market-routes';
import type { Lot } from '../../state/market-types';
import { stillWantedGrams } from '../../../../shared/domain/demand';
import { GRAMS_PER_JIN, GRAMS_PER_KG, GRAMS_PER_TONNE } from '../../../../shared/domain/units';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Alert } from '../components/Alert';
import { useMarket } from './context';
import { useUnits } from './bits';
import { demandFailureText, PRICE_KEYS, useFieldProblems, withoutChanged } from './demand-bits';

const PER_UNIT: Record<DisplayUnit, number> = { jin: GRAMS_PER_JIN, kg: GRAMS_PER_KG, t: GRAMS_PER_TONNE };
/** Grams as the number a person types in `unit` ("40" for 20 kg in 斤), to three decimals at most. */
const quantityInput = (grams: number, unit: DisplayUnit) => String(Math.floor((grams / PER_UNIT[unit]) * 1000) / 1000);

/** A farm offers (part of) one of its lots to a restaurant's demand; the restaurant accepts, counters or rejects. */
export function SellOfferForm({
  demand,
  lots,
  store,
  onDone,
}: {
  demand: DemandView;
  lots: Lot[];
  store: DemandStore;
  onDone: (sent: boolean) => void;
}) {
  const { t } = useApp();
  const { prefs } = useMarket();
  const { unit } = useStore(prefs);
  const { weight, price } = useUnits();
  const priceUnit = priceUnitFor(unit);
  const initial = (lot: Lot | undefined): SellOfferFormInput => ({
    lotId: lot?.id ?? '',
    quantity: lot ? quantityInput(Math.min(lot.remainingGrams, stillWantedGrams(demand)), unit) : '',
    unit,
    price: priceInputValue(demand.maxPriceFenPerKg, priceUnit),
    priceUnit,
  });
  const [form, setForm] = useState<SellOfferFormInput>(() => initial(lots[0]));
  const [problems, setProblems] = useState<FieldProblems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form_ = `sell-${demand.id}`;
  const { err, invalid } = useFieldProblems(form_, problems);
  const lot = lots.find((l) => l.id === form.lotId);
  const change = (patch: Partial<SellOfferFormInput>) => {
    setForm({ ...form, ...patch });
    setProblems(withoutChanged(problems, Object.keys(patch)));
  };

  if (lots.length === 0) {
    return (
      <div class="inline-form">
        <p>{t('market.sell.noLot')}</p>
        <div class="actions">
          <a class="button" href={marketHref({ name: 'post' })}>
            {t('market.sell.postLot')}
          </a>
          <button type="button" class="secondary" onClick={() => onDone(false)}>
            {t('common.cancel')}
          </button>
        </div>
      </div>
    );
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    const r = await store.sellOffer(demand, form, lot, { weight, price });
    setBusy(false);
    if (r.ok) return onDone(true);
    setProblems(r.fields);
    setFailure(r.error ? demandFailureText(t, r.error) : t('common.fixFields'));
  };

  return (
    <form class="inline-form sell-offer" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset {...invalid('lotId')}>
        <legend class="legend">{t('market.sell.lot')}</legend>
        {lots.map((l) => (
          <label key={l.id} class={form.lotId === l.id ? 'lot-choice on' : 'lot-choice'}>
            <input
              type="radio"
              name={`${form_}-lot`}
              checked={form.lotId === l.id}
              onChange={() => change(initial(l))}
            />
            <span>
              {t('market.sell.lotLine', {
                w: weight(l.remainingGrams),
                p: price(l.reservePriceFenPerKg),
                at: shortTime(l.expiresAt),
              })}
            </span>
          </label>
        ))}
        {err('lotId')}
      </fieldset>
      <div class="grid2">
        <label>
          {t('market.sell.quantity', { unit: t(`market.unit.${unit}`) })}
          <input
            inputMode="decimal"
            value={form.quantity}
            onInput={(e) => change({ quantity: e.currentTarget.value })}
            {...invalid('quantity')}
          />
          {err('quantity')}
        </label>
        <label>
          {t('market.sell.price', { per: t(PRICE_KEYS[priceUnit]) })}
          <input
            inputMode="decimal"
            value={form.price}
            onInput={(e) => change({ price: e.currentTarget.value })}
            {...invalid('price')}
          />
          {err('price')}
        </label>
      </div>
      <p class="hint muted small">
        {t('market.sell.hint', { p: price(demand.maxPriceFenPerKg), r: lot ? price(lot.reservePriceFenPerKg) : '—' })}
      </p>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('common.working') : t('market.sell.submit')}
        </button>
        <button type="button" class="secondary" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
