import { findProduct, productName } from '../../../../shared/domain/catalogue';
import type { MessageKey } from '../../i18n';
import { Fragment } from 'preact';
import type { FarmCapacity, OutlookDay } from '../../state/market-types';
import { useApp } from '../context';
import { useUnits } from './bits';
import { weekdayKey } from './weekdays';

/** "11/26 周四": a calendar date as the outlook heads its days. */
export const dayLabel = (date: string, weekday: number, t: (key: MessageKey) => string): string =>
  `${date.slice(5).replace('-', '/')} ${t(weekdayKey(weekday))}`;

/**
 * One day of an outlook (a farm's, or the market's summed): what is left to sell, each product's
 * expected / sold / left, dispatch over capacity, what the cold store could keep. The farm's plans
 * page and the chamber's read-only view show days the same way.
 */
export function OutlookDayCard({ day }: { day: OutlookDay }) {
  const { t, locale } = useApp();
  const { weight } = useUnits();
  const name = (code: string) => {
    const p = findProduct(code);
    return p ? productName(p, locale) : code;
  };
  return (
    <section class="card outlook-day" data-date={day.date}>
      <header class="lot-head">
        <h3>{dayLabel(day.date, day.weekday, t)}</h3>
        <span class={day.totalSurplusGrams > 0 ? 'urgency urgency-at_risk' : 'urgency urgency-fresh'}>
          {day.totalSurplusGrams > 0
            ? t('market.outlook.unsold', { w: weight(day.totalSurplusGrams) })
            : t('market.outlook.allSold')}
        </span>
      </header>
      <ul class="plain">
        {day.lines.map((l) => (
          <li key={l.productCode}>
            <span>{name(l.productCode)}</span>
            <span class="small">
              {t('market.outlook.line', {
                e: weight(l.expectedGrams),
                c: weight(l.committedGrams),
                s: weight(l.surplusGrams),
              })}
            </span>
          </li>
        ))}
      </ul>
      {day.dispatchOverGrams > 0 ? (
        <p class="error">{t('market.outlook.over', { w: weight(day.dispatchOverGrams) })}</p>
      ) : null}
      {day.totalSurplusGrams > 0 ? (
        <p class="muted small">{t('market.outlook.storable', { w: weight(day.storableSurplusGrams) })}</p>
      ) : null}
    </section>
  );
}

/** A farm's registered capacity: daily production per product (on which weekdays), cold store, dispatch, pickup point. */
export function CapacityDetails({
  capacity,
  class: className = 'details',
}: {
  capacity: FarmCapacity;
  class?: string;
}) {
  const { t, locale } = useApp();
  const { weight } = useUnits();
  return (
    <dl class={className}>
      {capacity.production.map((p) => {
        const product = findProduct(p.productCode);
        return (
          <Fragment key={p.productCode}>
            <dt>{product ? productName(product, locale) : p.productCode}</dt>
            <dd>
              {t('market.outlook.perDay', { w: weight(p.dailyGrams) })}
              {p.weekdays?.length ? `（${p.weekdays.map((d) => t(weekdayKey(d))).join('、')}）` : ''}
            </dd>
          </Fragment>
        );
      })}
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
  );
}
