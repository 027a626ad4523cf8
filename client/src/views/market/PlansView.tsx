import { useEffect, useState } from 'preact/hooks';
import { findProduct, productName } from '../../../../shared/domain/catalogue';
import type { MarketApi } from '../../state/marketApi';
import { shortTime } from '../../state/marketFormat';
import type { Demand, StandingOrder } from '../../state/marketTypes';
import { useApp } from '../context';
import { Page } from '../components/Page';
import { UnitPicker, useUnits } from './bits';
import { weekdayKey } from './OutlookView';

/** A restaurant's standing orders and open requests (read-only: they are created over the API for now). */
export function PlansView({ api }: { api: MarketApi }) {
  const { t, locale } = useApp();
  const { weight, price } = useUnits();
  const [standing, setStanding] = useState<StandingOrder[]>([]);
  const [demand, setDemand] = useState<Demand[]>([]);
  useEffect(() => {
    void api.standingOrders().then((r) => r.ok && setStanding(r.data.items));
    void api.myDemand().then((r) => r.ok && setDemand(r.data.items));
  }, [api]);
  const name = (code: string) => {
    const p = findProduct(code);
    return p ? productName(p, locale) : code;
  };
  return (
    <Page title={t('market.plans.title')}>
      <UnitPicker />
      <section class="card">
        <h2>{t('market.plans.standing')}</h2>
        {standing.length === 0 ? <p class="muted">{t('common.none')}</p> : null}
        <ul class="plain">
          {standing.map((s) => (
            <li key={s.id}>
              <strong>{name(s.productCode)}</strong>
              <span>
                {t('market.plans.standingLine', { w: weight(s.gramsPerOccurrence), p: price(s.priceFenPerKg), days: s.weekdays.map((d) => t(weekdayKey(d))).join('、'), by: s.deliverBy })}
              </span>
              {s.tolerance ? <span class="muted small">{t('market.plans.tolerance', { x: s.tolerance.extraPercent, d: s.tolerance.discountPercent })}</span> : null}
            </li>
          ))}
        </ul>
      </section>
      <section class="card">
        <h2>{t('market.plans.demand')}</h2>
        {demand.length === 0 ? <p class="muted">{t('common.none')}</p> : null}
        <ul class="plain">
          {demand.map((d) => (
            <li key={d.id}>
              <strong>{name(d.productCode)}</strong>
              <span>{t('market.plans.demandLine', { w: weight(d.quantityGrams), p: price(d.maxPriceFenPerKg), at: shortTime(d.neededBy) })}</span>
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
