import { useEffect, useMemo, useState } from 'preact/hooks';
import { FarmPlansStore } from '../../state/farm-plans';
import type { MarketApi } from '../../state/market-api';
import type { OutlookDay } from '../../state/market-types';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { Alert } from '../components/Alert';
import { failureText, UnitPicker, useUnits } from './bits';
import { CapacityForm } from './CapacityForm';
import { useMarket } from './context';
import { StandingForYou } from './StandingForYou';
import { CapacityDetails, OutlookDayCard } from './OutlookDays';

/**
 * The farm's plans: standing orders restaurants propose (accept / decline) and the ones it supplies,
 * its capacity (a form: daily production, cold store, dispatch, pickup point), and the next seven
 * days: expected − already sold.
 */
export function OutlookView({ api }: { api: MarketApi }) {
  const { t } = useApp();
  const { unit } = useUnits();
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
  return (
    <Page title={t('market.outlook.title')}>
      <UnitPicker />
      {error ? <Alert kind="error">{failureText(t, error)}</Alert> : null}
      {loaded ? <StandingForYou plans={plans} /> : null}
      <h2>{t('market.capacity.title')}</h2>
      {loaded && !capacity && !error && !form ? <Alert kind="notice">{t('market.outlook.noCapacity')}</Alert> : null}
      {notice?.kind === 'ok' && notice.key === 'market.capacity.saved' ? (
        <Alert kind="ok">{t(notice.key)}</Alert>
      ) : null}
      {form ? <CapacityForm plans={plans} /> : null}
      {capacity && !form ? <CapacityDetails capacity={capacity} class="details card" /> : null}
      {loaded && !form ? (
        <button type="button" class="secondary block" onClick={() => plans.edit(unit)}>
          {capacity ? t('market.capacity.edit') : t('market.capacity.setUp')}
        </button>
      ) : null}
      {days.length > 0 ? <h2>{t('market.outlook.next7')}</h2> : null}
      {days.map((d) => (
        <OutlookDayCard key={d.date} day={d} />
      ))}
    </Page>
  );
}
