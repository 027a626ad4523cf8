import { Fragment } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { findProduct, productName } from '../../../../shared/domain/catalogue';
import { FarmPlansStore } from '../../state/farmPlans';
import type { MarketApi } from '../../state/marketApi';
import type { OutlookDay } from '../../state/marketTypes';
import type { MessageKey } from '../../i18n';
import { useApp } from '../context';
import { useStore } from '../useStore';
import { Page } from '../components/Page';
import { Alert } from '../components/Alert';
import { failureText, UnitPicker, useUnits } from './bits';
import { CapacityForm } from './CapacityForm';
import { useMarket } from './context';
import { StandingForYou } from './StandingForYou';

const WEEKDAYS: MessageKey[] = ['market.weekday.1', 'market.weekday.2', 'market.weekday.3', 'market.weekday.4', 'market.weekday.5', 'market.weekday.6', 'market.weekday.7'];
export const weekdayKey = (d: number): MessageKey => WEEKDAYS[(d - 1) % 7];

/**
 * The farm's plans: standing orders restaurants propose (accept / decline) and the ones it supplies,
 * its capacity (a form: daily production, cold store, dispatch, pickup point), and the next seven
 * days: expected − already sold.
 */
export function OutlookView({ api }: { api: MarketApi }) {
  const { t, locale } = useApp();
  const { weight, unit } = useUnits();
  const { market } = useMarket();
  const { organisationId, feed } = useStore(market);
  const plans = useMemo(() => new FarmPlansStore(api, organisationId ?? ''), [api, organisationId]);
  const { capacity, form, loaded, loadError: error, standing, notice } = useStore(plans);
  const [days, setDays] = useState<OutlookDay[]>([]);
  useEffect(() => {
    void plans.load();
  }, [plans]);
  // Accepting, ending or saving changes what is committed: re-read the outlook after each.
  useEffect(() => {
    void api.outlook(7).then((o) => o.ok && setDays(o.data.days));
  }, [api, capacity, standing]);
  // A restaurant proposing or cancelling reaches this page live.
  const latest = feed[0];
  useEffect(() => {
    if (latest) plans.applyUpdate(latest);
  }, [plans, latest]);
  const name = (code: string) => {
    const p = findProduct(code);
    return p ? productName(p, locale) : code;
  };
  return (
    <Page title={t('market.outlook.title')}>
      <UnitPicker />
      {error ? <Alert kind="error">{failureText(t, error)}</Alert> : null}
      {loaded ? <StandingForYou plans={plans} /> : null}
      <h2>{t('market.capacity.title')}</h2>
      {loaded && !capacity && !error && !form ? <Alert kind="notice">{t('market.outlook.noCapacity')}</Alert> : null}
      {notice?.kind === 'ok' && notice.key === 'market.capacity.saved' ? <Alert kind="ok">{t(notice.key)}</Alert> : null}
      {form ? <CapacityForm plans={plans} /> : null}
      {capacity && !form ? (
        <dl class="details card">
          {capacity.production.map((p) => (
            <Fragment key={p.productCode}>
              <dt>{name(p.productCode)}</dt>
              <dd>
                {t('market.outlook.perDay', { w: weight(p.dailyGrams) })}
                {p.weekdays?.length ? `（${p.weekdays.map((d) => t(weekdayKey(d))).join('、')}）` : ''}
              </dd>
            </Fragment>
          ))}
          <dt>{t('market.outlook.coldStore')}</dt>
          <dd>{weight(capacity.coldStorageGrams)}</dd>
          <dt>{t('market.outlook.dispatch')}</dt>
          <dd>{t('market.outlook.perDay', { w: weight(capacity.dispatchGramsPerDay) })}</dd>
          {capacity.pickup ? (
            <>
              <dt>{t('market.lot.pickup')}</dt>
              <dd>
                {capacity.pickup.name} · {capacity.pickup.address}
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {loaded && !form ? (
        <button type="button" class="secondary block" onClick={() => plans.edit(unit)}>
          {capacity ? t('market.capacity.edit') : t('market.capacity.setUp')}
        </button>
      ) : null}
      {days.length > 0 ? <h2>{t('market.outlook.next7')}</h2> : null}
      {days.map((d) => (
        <section key={d.date} class="card outlook-day">
          <header class="lot-head">
            <h3>
              {d.date.slice(5).replace('-', '/')} {t(weekdayKey(d.weekday))}
            </h3>
            <span class={d.totalSurplusGrams > 0 ? 'urgency urgency-at_risk' : 'urgency urgency-fresh'}>
              {d.totalSurplusGrams > 0 ? t('market.outlook.unsold', { w: weight(d.totalSurplusGrams) }) : t('market.outlook.allSold')}
            </span>
          </header>
          <ul class="plain">
            {d.lines.map((l) => (
              <li key={l.productCode}>
                <span>{name(l.productCode)}</span>
                <span class="small">{t('market.outlook.line', { e: weight(l.expectedGrams), c: weight(l.committedGrams), s: weight(l.surplusGrams) })}</span>
              </li>
            ))}
          </ul>
          {d.dispatchOverGrams > 0 ? <p class="error">{t('market.outlook.over', { w: weight(d.dispatchOverGrams) })}</p> : null}
          {d.totalSurplusGrams > 0 ? <p class="muted small">{t('market.outlook.storable', { w: weight(d.storableSurplusGrams) })}</p> : null}
        </section>
      ))}
    </Page>
  );
}
