import { productName, findProduct } from '../../../../shared/domain/catalogue';
import type { MessageKey } from '../../i18n';
import type { FarmPlansStore } from '../../state/farm-plans';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Alert } from '../components/Alert';
import { useMarket } from './context';
import { failureText } from './bits';
import { weekdayKey } from './weekdays';

const UNIT_KEYS = { jin: 'market.unit.jin', kg: 'market.unit.kg', t: 'market.unit.t' } as const satisfies Record<
  string,
  MessageKey
>;
const WEEK = [1, 2, 3, 4, 5, 6, 7];

/** The farm's capacity as a phone form: one row per product, amounts in the farmer's unit. */
export function CapacityForm({ plans }: { plans: FarmPlansStore }) {
  const { t, locale, say } = useApp();
  const { market } = useMarket();
  const { catalogue } = useStore(market);
  const { form, errors, formError, saving } = useStore(plans);
  if (!form) return null;
  const unitName = t(UNIT_KEYS[form.unit]);
  const text = say;
  const idOf = (name: string) => `cap-${name.replace(/\./g, '-')}`;
  const err = (name: string) => {
    const m = errors[name];
    return m ? (
      <span class="error" id={`${idOf(name)}-error`}>
        {text(m)}
      </span>
    ) : null;
  };
  const invalid = (name: string) =>
    errors[name] ? { 'aria-invalid': true, 'aria-describedby': `${idOf(name)}-error` } : {};
  const setRow = (i: number, patch: Partial<(typeof form.production)[number]>, clears: string[]) =>
    plans.change({ production: form.production.map((r, k) => (k === i ? { ...r, ...patch } : r)) }, clears);

  return (
    <form
      class="card capacity-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void plans.save();
      }}
    >
      <div class="unit-choice" role="group" aria-label={t('market.unit.label')}>
        {(['jin', 'kg', 't'] as const).map((u) => (
          <button
            key={u}
            type="button"
            class={form.unit === u ? 'chip on' : 'chip'}
            aria-pressed={form.unit === u}
            onClick={() => plans.changeUnit(u)}
          >
            {t(UNIT_KEYS[u])}
          </button>
        ))}
      </div>

      <fieldset>
        <legend>{t('market.capacity.production')}</legend>
        {form.production.map((row, i) => {
          const product = `production.${i}.productCode`;
          const amount = `production.${i}.dailyGrams`;
          const days = `production.${i}.weekdays`;
          return (
            <div key={i} class="capacity-row">
              <div class="field">
                <label for={idOf(product)}>{t('market.capacity.product')}</label>
                <select
                  id={idOf(product)}
                  value={row.productCode}
                  onChange={(e) => setRow(i, { productCode: e.currentTarget.value }, [product])}
                  {...invalid(product)}
                >
                  <option value="">{t('market.capacity.pickProduct')}</option>
                  {catalogue.map((p) => (
                    <option key={p.code} value={p.code}>
                      {locale === 'zh-CN' ? p.nameZh : p.nameEn}
                    </option>
                  ))}
                </select>
                {err(product)}
              </div>
              <div class="field">
                <label for={idOf(amount)}>
                  {t('market.capacity.amount')}（{unitName}）
                </label>
                <input
                  id={idOf(amount)}
                  inputMode="decimal"
                  value={row.amount}
                  onInput={(e) => setRow(i, { amount: e.currentTarget.value }, [amount])}
                  {...invalid(amount)}
                />
                {err(amount)}
              </div>
              <div class="field">
                <span class="legend" id={`${idOf(days)}-label`}>
                  {t('market.capacity.days')}
                </span>
                <div class="unit-choice weekday-choice" role="group" aria-labelledby={`${idOf(days)}-label`}>
                  {WEEK.map((d) => {
                    const on = row.weekdays.includes(d);
                    return (
                      <button
                        key={d}
                        type="button"
                        class={on ? 'chip on' : 'chip'}
                        aria-pressed={on}
                        onClick={() =>
                          setRow(i, { weekdays: on ? row.weekdays.filter((x) => x !== d) : [...row.weekdays, d] }, [
                            days,
                          ])
                        }
                      >
                        {t(weekdayKey(d))}
                      </button>
                    );
                  })}
                </div>
                {err(days)}
              </div>
              {form.production.length > 1 ? (
                <button
                  type="button"
                  class="link-button"
                  onClick={() =>
                    plans.change({ production: form.production.filter((_, k) => k !== i) }, [product, amount, days])
                  }
                >
                  {t('market.capacity.remove')} {row.productCode ? productNameOf(row.productCode, locale) : ''}
                </button>
              ) : null}
            </div>
          );
        })}
        <button
          type="button"
          class="secondary block"
          onClick={() =>
            plans.change({ production: [...form.production, { productCode: '', amount: '', weekdays: [] }] })
          }
        >
          {t('market.capacity.add')}
        </button>
      </fieldset>

      <div class="grid2">
        <div class="field">
          <label for={idOf('coldStorageGrams')}>
            {t('market.capacity.coldStore')}（{unitName}）
          </label>
          <input
            id={idOf('coldStorageGrams')}
            inputMode="decimal"
            value={form.coldStorage}
            onInput={(e) => plans.change({ coldStorage: e.currentTarget.value }, ['coldStorageGrams'])}
            {...invalid('coldStorageGrams')}
          />
          {err('coldStorageGrams')}
        </div>
        <div class="field">
          <label for={idOf('dispatchGramsPerDay')}>
            {t('market.capacity.dispatch')}（{unitName}）
          </label>
          <input
            id={idOf('dispatchGramsPerDay')}
            inputMode="decimal"
            value={form.dispatch}
            onInput={(e) => plans.change({ dispatch: e.currentTarget.value }, ['dispatchGramsPerDay'])}
            {...invalid('dispatchGramsPerDay')}
          />
          {err('dispatchGramsPerDay')}
        </div>
      </div>

      <fieldset>
        <legend>{t('market.capacity.pickup')}</legend>
        <div class="field">
          <input
            id={idOf('pickup.name')}
            aria-label={t('market.capacity.pickupName')}
            placeholder={t('market.capacity.pickupName')}
            value={form.pickupName}
            onInput={(e) =>
              plans.change({ pickupName: e.currentTarget.value }, ['pickup.name', 'pickup.address', 'pickup'])
            }
            {...invalid('pickup.name')}
          />
          {err('pickup.name')}
        </div>
        <div class="field">
          <input
            id={idOf('pickup.address')}
            aria-label={t('market.capacity.pickupAddress')}
            placeholder={t('market.capacity.pickupAddress')}
            value={form.pickupAddress}
            onInput={(e) =>
              plans.change({ pickupAddress: e.currentTarget.value }, ['pickup.name', 'pickup.address', 'pickup'])
            }
            {...invalid('pickup.address')}
          />
          {err('pickup.address')}
          {err('pickup')}
        </div>
      </fieldset>

      {formError ? <Alert kind="error">{failureText(t, formError)}</Alert> : null}
      <div class="actions">
        <button type="submit" class="big-button" disabled={saving}>
          {saving ? t('common.working') : t('market.capacity.save')}
        </button>
        <button type="button" class="secondary" onClick={() => plans.cancelEdit()}>
          {t('market.capacity.cancel')}
        </button>
      </div>
    </form>
  );
}

function productNameOf(code: string, locale: string): string {
  const p = findProduct(code);
  return p ? productName(p, locale === 'en' ? 'en' : 'zh-CN') : code;
}
