import { addDays, shanghaiDate } from '../../../../shared/domain/calendar';
import type { MessageKey } from '../../i18n';
import type { DemandStore } from '../../state/demand';
import { emptyDemandForm, type DemandFormInput } from '../../state/demand-forms';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Alert } from '../components/Alert';
import { addressText } from '../components/address-text';
import { useMarket } from './context';
import { PRICE_KEYS, PriceField, ProductField, QuantityField, useDemandForm } from './demand-bits';

const DAY_CHIPS: readonly (readonly [number, MessageKey])[] = [
  [0, 'market.demand.today'],
  [1, 'market.demand.tomorrow'],
  [2, 'market.demand.dayAfter'],
];

/** A restaurant's one-off purchase request: what, how much, at most what price, by when, where to. */
export function DemandRequestForm({ store }: { store: DemandStore }) {
  const { t, session } = useApp();
  const { market, prefs } = useMarket();
  const { now } = useStore(market);
  const { unit } = useStore(prefs);
  const { me } = useStore(session);
  const home = me?.organisation.address ? addressText(me.organisation.address) : '';
  const view = useDemandForm(
    'demand',
    () => emptyDemandForm(new Date(now), unit, home),
    (form: DemandFormInput) => store.postDemand(form, new Date()),
    (form) => emptyDemandForm(new Date(), form.unit, form.address),
  );
  const { form, set, err, invalid, failure, done, busy, submit } = view;
  const today = shanghaiDate(new Date(now));

  return (
    <form class="card demand-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="demand-form-title">
      <h2 id="demand-form-title">{t('market.demand.formTitle')}</h2>
      <p class="muted small">{t('market.demand.formHint')}</p>
      <ProductField
        prefix="demand"
        value={form.productCode}
        onChange={(productCode) => set({ productCode })}
        view={view}
      />
      <QuantityField
        prefix="demand"
        label={t('market.demand.quantity')}
        value={form.quantity}
        unit={form.unit}
        onInput={(quantity) => set({ quantity })}
        onUnit={(u) => set({ unit: u })}
        view={view}
      />
      <PriceField
        prefix="demand"
        name="maxPrice"
        label={t('market.demand.maxPrice', { per: t(PRICE_KEYS[form.priceUnit]) })}
        value={form.maxPrice}
        unit={form.priceUnit}
        onInput={(maxPrice) => set({ maxPrice })}
        onUnit={(u) => set({ priceUnit: u })}
        view={view}
      />

      <div class="field">
        <label for="demand-date">{t('market.demand.date')}</label>
        <div class="with-units">
          <input
            id="demand-date"
            type="date"
            min={today}
            value={form.date}
            onInput={(e) => set({ date: e.currentTarget.value })}
            {...invalid('date')}
          />
          <div class="unit-choice" role="group" aria-label={t('market.demand.date')}>
            {DAY_CHIPS.map(([days, key]) => {
              const date = addDays(today, days);
              return (
                <button
                  key={key}
                  type="button"
                  class={form.date === date ? 'chip on' : 'chip'}
                  aria-pressed={form.date === date}
                  onClick={() => set({ date })}
                >
                  {t(key)}
                </button>
              );
            })}
          </div>
        </div>
        {err('date')}
      </div>
      <div class="grid2">
        <div class="field">
          <label for="demand-from">{t('market.demand.fromTime')}</label>
          <input
            id="demand-from"
            type="time"
            value={form.fromTime}
            onInput={(e) => set({ fromTime: e.currentTarget.value })}
            {...invalid('fromTime')}
          />
          {err('fromTime')}
        </div>
        <div class="field">
          <label for="demand-by">{t('market.demand.byTime')}</label>
          <input
            id="demand-by"
            type="time"
            value={form.byTime}
            onInput={(e) => set({ byTime: e.currentTarget.value })}
            {...invalid('byTime')}
          />
          {err('byTime')}
        </div>
      </div>

      <div class="field">
        <label for="demand-address">{t('market.demand.address')}</label>
        <input
          id="demand-address"
          value={form.address}
          onInput={(e) => set({ address: e.currentTarget.value })}
          {...invalid('address')}
        />
        {err('address')}
      </div>
      <div class="field">
        <label for="demand-note">{t('market.demand.note')}</label>
        <textarea
          id="demand-note"
          rows={2}
          value={form.note}
          onInput={(e) => set({ note: e.currentTarget.value })}
          {...invalid('note')}
        />
        {err('note')}
      </div>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      {done ? <Alert kind="ok">{t('market.demand.posted')}</Alert> : null}
      <button type="submit" class="block big-button" disabled={busy}>
        {busy ? t('common.working') : t('market.demand.submit')}
      </button>
    </form>
  );
}
