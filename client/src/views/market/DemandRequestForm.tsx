import { useState } from 'preact/hooks';
import { addDays, shanghaiDate } from '../../../../shared/domain/calendar';
import type { MessageKey } from '../../i18n';
import type { DemandStore } from '../../state/demand';
import { emptyDemandForm, type DemandFormInput, type FieldProblems } from '../../state/demandForms';
import { useApp } from '../context';
import { useStore } from '../useStore';
import { Alert } from '../components/Alert';
import { addressText } from '../components/addressText';
import { useMarket } from './context';
import { demandFailureText, PRICE_KEYS, PriceUnitChips, UnitChips, useFieldProblems, withoutChanged } from './demandBits';

const DAY_CHIPS: readonly (readonly [number, MessageKey])[] = [
  [0, 'market.demand.today'],
  [1, 'market.demand.tomorrow'],
  [2, 'market.demand.dayAfter'],
];

/** A restaurant's one-off purchase request: what, how much, at most what price, by when, where to. */
export function DemandRequestForm({ store }: { store: DemandStore }) {
  const { t, locale, session } = useApp();
  const { market, prefs } = useMarket();
  const { catalogue, now } = useStore(market);
  const { unit } = useStore(prefs);
  const { me } = useStore(session);
  const home = me?.organisation.address ? addressText(me.organisation.address) : '';
  const [form, setForm] = useState<DemandFormInput>(() => emptyDemandForm(new Date(now), unit, home));
  const [problems, setProblems] = useState<FieldProblems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<DemandFormInput>) => {
    setForm({ ...form, ...patch });
    setProblems(withoutChanged(problems, Object.keys(patch)));
    setDone(false);
  };
  const { err, invalid } = useFieldProblems('demand', problems);
  const today = shanghaiDate(new Date(now));

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    const r = await store.postDemand(form, new Date());
    setBusy(false);
    if (r.ok) {
      setProblems({});
      setDone(true);
      setForm(emptyDemandForm(new Date(), form.unit, form.address));
      return;
    }
    setProblems(r.fields);
    setFailure(r.error ? demandFailureText(t, r.error) : t('common.fixFields'));
  };

  return (
    <form class="card demand-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="demand-form-title">
      <h2 id="demand-form-title">{t('market.demand.formTitle')}</h2>
      <p class="muted small">{t('market.demand.formHint')}</p>
      <div class="field">
        <label for="demand-product">{t('market.demand.product')}</label>
        <select id="demand-product" value={form.productCode} onChange={(e) => set({ productCode: e.currentTarget.value })} {...invalid('productCode')}>
          <option value="">{t('market.demand.choose')}</option>
          {catalogue.map((p) => (
            <option key={p.code} value={p.code}>
              {locale === 'zh-CN' ? p.nameZh : p.nameEn}
            </option>
          ))}
        </select>
        {err('productCode')}
      </div>

      <div class="field">
        <label for="demand-quantity">{t('market.demand.quantity')}</label>
        <div class="with-units">
          <input id="demand-quantity" inputMode="decimal" value={form.quantity} onInput={(e) => set({ quantity: e.currentTarget.value })} {...invalid('quantity')} />
          <UnitChips value={form.unit} onChange={(u) => set({ unit: u })} />
        </div>
        {err('quantity')}
      </div>

      <div class="field">
        <label for="demand-price">{t('market.demand.maxPrice', { per: t(PRICE_KEYS[form.priceUnit]) })}</label>
        <div class="with-units">
          <input id="demand-price" inputMode="decimal" value={form.maxPrice} onInput={(e) => set({ maxPrice: e.currentTarget.value })} {...invalid('maxPrice')} />
          <PriceUnitChips value={form.priceUnit} onChange={(u) => set({ priceUnit: u })} />
        </div>
        {err('maxPrice')}
      </div>

      <div class="field">
        <label for="demand-date">{t('market.demand.date')}</label>
        <div class="with-units">
          <input id="demand-date" type="date" min={today} value={form.date} onInput={(e) => set({ date: e.currentTarget.value })} {...invalid('date')} />
          <div class="unit-choice" role="group" aria-label={t('market.demand.date')}>
            {DAY_CHIPS.map(([days, key]) => {
              const date = addDays(today, days);
              return (
                <button key={key} type="button" class={form.date === date ? 'chip on' : 'chip'} aria-pressed={form.date === date} onClick={() => set({ date })}>
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
          <input id="demand-from" type="time" value={form.fromTime} onInput={(e) => set({ fromTime: e.currentTarget.value })} {...invalid('fromTime')} />
          {err('fromTime')}
        </div>
        <div class="field">
          <label for="demand-by">{t('market.demand.byTime')}</label>
          <input id="demand-by" type="time" value={form.byTime} onInput={(e) => set({ byTime: e.currentTarget.value })} {...invalid('byTime')} />
          {err('byTime')}
        </div>
      </div>

      <div class="field">
        <label for="demand-address">{t('market.demand.address')}</label>
        <input id="demand-address" value={form.address} onInput={(e) => set({ address: e.currentTarget.value })} {...invalid('address')} />
        {err('address')}
      </div>
      <div class="field">
        <label for="demand-note">{t('market.demand.note')}</label>
        <textarea id="demand-note" rows={2} value={form.note} onInput={(e) => set({ note: e.currentTarget.value })} {...invalid('note')} />
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
