import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { findProduct, productName } from '../../../../shared/domain/catalogue';
import type { ApiFailure } from '../../state/apiResult';
import type { MarketApi } from '../../state/marketApi';
import type { FarmCapacity, OutlookDay } from '../../state/marketTypes';
import type { MessageKey } from '../../i18n';
import { useApp } from '../context';
import { Page } from '../components/Page';
import { Alert } from '../components/Alert';
import { failureText, UnitPicker, useUnits } from './bits';

const WEEKDAYS: MessageKey[] = ['market.weekday.1', 'market.weekday.2', 'market.weekday.3', 'market.weekday.4', 'market.weekday.5', 'market.weekday.6', 'market.weekday.7'];
export const weekdayKey = (d: number): MessageKey => WEEKDAYS[(d - 1) % 7];

/** The farm's daily production and cold store, and the next seven days: expected − already sold. */
export function OutlookView({ api }: { api: MarketApi }) {
  const { t, locale } = useApp();
  const { weight } = useUnits();
  const [capacity, setCapacity] = useState<FarmCapacity | null>(null);
  const [days, setDays] = useState<OutlookDay[]>([]);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    void Promise.all([api.capacity(), api.outlook(7)]).then(([c, o]) => {
      setLoaded(true);
      if (c.ok) setCapacity(c.data);
      else if (c.error.code !== 'NOT_FOUND') setError(c.error);
      if (o.ok) setDays(o.data.days);
    });
  }, [api]);
  const name = (code: string) => {
    const p = findProduct(code);
    return p ? productName(p, locale) : code;
  };
  return (
    <Page title={t('market.outlook.title')}>
      <UnitPicker />
      {error ? <Alert kind="error">{failureText(t, error)}</Alert> : null}
      {loaded && !capacity && !error ? <Alert kind="notice">{t('market.outlook.noCapacity')}</Alert> : null}
      {capacity ? (
        <dl class="details card">
          {capacity.production.map((p) => (
            <Fragment key={p.productCode}>
              <dt>{name(p.productCode)}</dt>
              <dd>{t('market.outlook.perDay', { w: weight(p.dailyGrams) })}</dd>
            </Fragment>
          ))}
          <dt>{t('market.outlook.coldStore')}</dt>
          <dd>{weight(capacity.coldStorageGrams)}</dd>
          <dt>{t('market.outlook.dispatch')}</dt>
          <dd>{t('market.outlook.perDay', { w: weight(capacity.dispatchGramsPerDay) })}</dd>
        </dl>
      ) : null}
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
