import { shanghaiDate, type Weekday } from '../../../../shared/domain/calendar';
import type { DemandStore } from '../../state/demand';
import { emptyStandingForm, type StandingFormInput } from '../../state/demand-forms';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Alert } from '../components/Alert';
import { useMarket } from './context';
import { PRICE_KEYS, PriceField, ProductField, QuantityField, useDemandForm } from './demand-bits';
import { weekdayKey } from './weekdays';

const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

/** A standing order proposed to one verified farm: it starts once the farm accepts. */
export function StandingOrderForm({ store }: { store: DemandStore }) {
  const { t } = useApp();
  const { market, prefs } = useMarket();
  const { now } = useStore(market);
  const { unit } = useStore(prefs);
  const { farms } = useStore(store);
  const view = useDemandForm(
    'standing',
    () => emptyStandingForm(new Date(now), unit),
    (form: StandingFormInput) => store.proposeStandingOrder(form, new Date()),
    (form) => emptyStandingForm(new Date(), form.unit),
  );
  const { form, set, err, invalid, failure, done, busy, submit } = view;
  const toggleDay = (d: Weekday) =>
    set({ weekdays: form.weekdays.includes(d) ? form.weekdays.filter((x) => x !== d) : [...form.weekdays, d] });

  return (
    <form class="card standing-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="standing-form-title">
      <h2 id="standing-form-title">{t('market.standing.formTitle')}</h2>
      <p class="muted small">{t('market.standing.formHint')}</p>
      <div class="field">
        <label for="standing-farm">{t('market.standing.farm')}</label>
        <select
          id="standing-farm"
          value={form.sellerOrgId}
          onChange={(e) => set({ sellerOrgId: e.currentTarget.value })}
          {...invalid('sellerOrgId')}
        >
          <option value="">{farms.length ? t('market.standing.chooseFarm') : t('market.standing.noFarms')}</option>
          {farms.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}（{f.region}）
            </option>
          ))}
        </select>
        {err('sellerOrgId')}
      </div>
      <ProductField
        prefix="standing"
        value={form.productCode}
        onChange={(productCode) => set({ productCode })}
        view={view}
      />
      <QuantityField
        prefix="standing"
        label={t('market.standing.quantity')}
        value={form.quantity}
        unit={form.unit}
        onInput={(quantity) => set({ quantity })}
        onUnit={(u) => set({ unit: u })}
        view={view}
      />
      <PriceField
        prefix="standing"
        name="price"
        label={t('market.standing.price', { per: t(PRICE_KEYS[form.priceUnit]) })}
        value={form.price}
        unit={form.priceUnit}
        onInput={(price) => set({ price })}
        onUnit={(u) => set({ priceUnit: u })}
        view={view}
      />
      <fieldset class="field" {...invalid('weekdays')}>
        <legend class="legend">{t('market.standing.weekdays')}</legend>
        <div class="weekday-grid">
          {WEEKDAYS.map((d) => (
            <label key={d} class={form.weekdays.includes(d) ? 'weekday on' : 'weekday'}>
              <input type="checkbox" checked={form.weekdays.includes(d)} onChange={() => toggleDay(d)} />
              {t(weekdayKey(d))}
            </label>
          ))}
        </div>
        {err('weekdays')}
      </fieldset>
      <div class="grid2">
        <div class="field">
          <label for="standing-start">{t('market.standing.startDate')}</label>
          <input
            id="standing-start"
            type="date"
            min={shanghaiDate(new Date(now))}
            value={form.startDate}
            onInput={(e) => set({ startDate: e.currentTarget.value })}
            {...invalid('startDate')}
          />
          {err('startDate')}
        </div>
        <div class="field">
          <label for="standing-end">{t('market.standing.endDate')}</label>
          <input
            id="standing-end"
            type="date"
            min={form.startDate}
            value={form.endDate}
            onInput={(e) => set({ endDate: e.currentTarget.value })}
            {...invalid('endDate')}
          />
          {err('endDate')}
        </div>
      </div>
      <div class="field">
        <label for="standing-by">{t('market.standing.deliverBy')}</label>
        <input
          id="standing-by"
          type="time"
          value={form.deliverBy}
          onInput={(e) => set({ deliverBy: e.currentTarget.value })}
          {...invalid('deliverBy')}
        />
        {err('deliverBy')}
      </div>
      <fieldset class="field">
        <label class="check">
          <input
            type="checkbox"
            checked={form.tolerance}
            onChange={(e) => set({ tolerance: e.currentTarget.checked })}
          />
          {t('market.standing.tolerance')}
        </label>
        {form.tolerance ? (
          <>
            <div class="grid2">
              <div class="field">
                <label for="standing-extra">{t('market.standing.extra')}</label>
                <input
                  id="standing-extra"
                  inputMode="decimal"
                  value={form.extraPercent}
                  onInput={(e) => set({ extraPercent: e.currentTarget.value })}
                  {...invalid('extraPercent')}
                />
                {err('extraPercent')}
              </div>
              <div class="field">
                <label for="standing-discount">{t('market.standing.discount')}</label>
                <input
                  id="standing-discount"
                  inputMode="decimal"
                  value={form.discountPercent}
                  onInput={(e) => set({ discountPercent: e.currentTarget.value })}
                  {...invalid('discountPercent')}
                />
                {err('discountPercent')}
              </div>
            </div>
            <p class="hint muted small">{t('market.standing.toleranceHint')}</p>
          </>
        ) : null}
      </fieldset>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      {done ? <Alert kind="ok">{t('market.standing.sent')}</Alert> : null}
      <button type="submit" class="block big-button" disabled={busy}>
        {busy ? t('common.working') : t('market.standing.submit')}
      </button>
    </form>
  );
}
