import { useEffect, useMemo, useState } from 'preact/hooks';
import { findProduct, productName } from '../../../../shared/domain/catalogue';
import { DemandStore, standingStatus, type StandingOrderView } from '../../state/demand';
import { deliveryWindowText, type DemandView } from '../../state/demand-forms';
import type { MarketApi } from '../../state/market-api';
import { shortTime } from '../../state/market-format';
import type { Offer } from '../../state/market-types';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { Alert } from '../components/Alert';
import { failureText, UnitPicker, useUnits } from './bits';
import { useMarket } from './context';
import { demandFailureText } from './demand-bits';
import { DemandRequestForm } from './DemandRequestForm';
import { OfferRow } from './OfferRow';
import { StandingOrderForm } from './StandingOrderForm';
import { LoadMore } from './list-paging';
import { weekdayKey } from './weekdays';
import './demand.css';

/** Offers as the API returns them: a sell offer answering a demand names it. */
type OfferOnDemand = Offer & { demandId?: string };

/** A restaurant's purchase requests (with the farms' offers on each) and standing orders, and the forms to add them. */
export function PlansView({ api }: { api: MarketApi }) {
  const { t } = useApp();
  const store = useMemo(() => new DemandStore(api), [api]);
  const { market } = useMarket();
  const { offers, orders } = useStore(market);
  const { mine, standing, mineNext, standingNext, loadingMore, loaded, error } = useStore(store);
  useEffect(() => {
    void store.loadRestaurant();
  }, [store]);
  // An order from a sell offer on one of the requests changed how much of it is filled: read them again.
  // (The order, not the offer's accept: the server counts the fill before it confirms the order.)
  const mineIds = new Set(mine.map((d) => d.id));
  const answerIds = new Set(
    (offers as OfferOnDemand[]).filter((o) => o.demandId !== undefined && mineIds.has(o.demandId)).map((o) => o.id),
  );
  const ordersOnRequests = orders.filter((o) => o.offerId !== undefined && answerIds.has(o.offerId)).length;
  useEffect(() => {
    if (ordersOnRequests > 0) void store.refreshMine();
  }, [store, ordersOnRequests]);
  // Filled requests stay in view (their orders are on the way); withdrawn and expired ones fold away.
  const open = mine.filter((d) => d.status === 'open' || d.status === 'filled');
  const closed = mine.filter((d) => d.status !== 'open' && d.status !== 'filled');
  return (
    <Page title={t('market.plans.title')}>
      <UnitPicker />
      {error ? <Alert kind="error">{failureText(t, error)}</Alert> : null}
      <section class="card">
        <h2>{t('market.plans.demand')}</h2>
        {open.length === 0 ? <p class="muted">{t('common.none')}</p> : null}
        <ul class="plain-cards">
          {open.map((d) => (
            <DemandItem key={d.id} demand={d} store={store} />
          ))}
        </ul>
        {closed.length > 0 ? (
          <details>
            <summary>
              {t('market.demand.status.withdrawn')} / {t('market.demand.status.expired')}（{closed.length}）
            </summary>
            <ul class="plain-cards">
              {closed.map((d) => (
                <DemandItem key={d.id} demand={d} store={store} />
              ))}
            </ul>
          </details>
        ) : null}
        {loaded && mine.length > 0 ? (
          <LoadMore
            hasMore={mineNext !== null}
            loading={loadingMore}
            onMore={() => void store.moreMine()}
            end="market.list.end"
          />
        ) : null}
      </section>
      <DemandRequestForm store={store} />
      <section class="card">
        <h2>{t('market.plans.standing')}</h2>
        {standing.length === 0 ? <p class="muted">{t('common.none')}</p> : null}
        <ul class="plain-cards">
          {standing.map((s) => (
            <StandingItem key={s.id} order={s} store={store} />
          ))}
        </ul>
        {loaded && standing.length > 0 ? (
          <LoadMore
            hasMore={standingNext !== null}
            loading={loadingMore}
            onMore={() => void store.moreStanding()}
            end="market.list.end"
          />
        ) : null}
      </section>
      <StandingOrderForm store={store} />
    </Page>
  );
}

function useProductName() {
  const { locale } = useApp();
  return (code: string) => {
    const p = findProduct(code);
    return p ? productName(p, locale) : code;
  };
}

function DemandItem({ demand, store }: { demand: DemandView; store: DemandStore }) {
  const { t } = useApp();
  const { market } = useMarket();
  const { offers } = useStore(market);
  const { weight, price } = useUnits();
  const name = useProductName();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const answers = (offers as OfferOnDemand[]).filter((o) => o.demandId === demand.id);
  const withdraw = async () => {
    setBusy(true);
    const r = await store.withdrawDemand(demand.id);
    setBusy(false);
    setProblem(r.ok ? null : demandFailureText(t, r.error));
  };
  const status = demand.status;
  const partly = status === 'open' && (demand.filledGrams ?? 0) > 0;
  return (
    <li class="card demand-item" data-demand={demand.id}>
      <header class="lot-head">
        <strong>{name(demand.productCode)}</strong>
        <span class="badge">{t(`market.demand.status.${status}`)}</span>
      </header>
      <p>
        {t('market.plans.demandLine', {
          w: weight(demand.quantityGrams),
          p: price(demand.maxPriceFenPerKg),
          at: shortTime(demand.neededBy),
        })}
      </p>
      {partly ? (
        <p class="demand-filled">
          {t('market.demand.partlyFilled', { got: weight(demand.filledGrams ?? 0), all: weight(demand.quantityGrams) })}
        </p>
      ) : null}
      {demand.deliverFrom || demand.deliveryAddress ? (
        <p class="muted small demand-where">
          {[
            demand.deliverFrom ? deliveryWindowText(t, demand) : '',
            demand.deliveryAddress ? t('market.demandBoard.address', { a: demand.deliveryAddress }) : '',
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      ) : null}
      {demand.note ? <p class="muted small note">{demand.note}</p> : null}
      {demand.status === 'open' || answers.length > 0 ? (
        <>
          <h3 class="small">{t('market.demand.offers', { n: answers.length })}</h3>
          {answers.length === 0 ? <p class="muted small">{t('market.demand.noOffers')}</p> : null}
          <ul class="plain-cards">
            {answers.map((o) => (
              <OfferRow key={o.id} offer={o} side="buyer" />
            ))}
          </ul>
        </>
      ) : null}
      {demand.status === 'open' ? (
        <div class="actions">
          <button type="button" class="secondary" disabled={busy} onClick={() => void withdraw()}>
            {t('market.demand.withdraw')}
          </button>
        </div>
      ) : null}
      {problem ? (
        <p class="error" role="alert">
          {problem}
        </p>
      ) : null}
    </li>
  );
}

function StandingItem({ order, store }: { order: StandingOrderView; store: DemandStore }) {
  const { t } = useApp();
  const { farms } = useStore(store);
  const { weight, price } = useUnits();
  const name = useProductName();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const status = standingStatus(order);
  const farm = order.sellerOrgId ? farms.find((f) => f.id === order.sellerOrgId) : undefined;
  const cancel = async () => {
    setBusy(true);
    const r = await store.cancelStandingOrder(order.id);
    setBusy(false);
    setConfirming(false);
    setProblem(r.ok ? null : demandFailureText(t, r.error));
  };
  return (
    <li class={`card standing-item standing-${status}`} data-standing={order.id}>
      <header class="lot-head">
        <strong>{name(order.productCode)}</strong>
        <span class={`badge standing-badge-${status}`}>{t(`market.standing.status.${status}`)}</span>
      </header>
      <p>
        {t('market.plans.standingLine', {
          w: weight(order.gramsPerOccurrence),
          p: price(order.priceFenPerKg),
          days: order.weekdays.map((d) => t(weekdayKey(d))).join('、'),
          by: order.deliverBy,
        })}
      </p>
      <p class="muted small">
        {order.sellerOrgId ? t('market.standing.farmName', { n: farm?.name ?? '—' }) : t('market.standing.anyFarm')} ·{' '}
        {order.endDate
          ? t('market.standing.fromTo', { start: order.startDate, end: order.endDate })
          : t('market.standing.since', { start: order.startDate })}
      </p>
      {order.tolerance ? (
        <p class="muted small">
          {t('market.plans.tolerance', { x: order.tolerance.extraPercent, d: order.tolerance.discountPercent })}
        </p>
      ) : null}
      {status === 'declined' && order.declineReason ? (
        <p class="small">{t('market.standing.farmReason', { r: order.declineReason })}</p>
      ) : null}
      {status === 'proposed' || status === 'active' ? (
        <div class="actions">
          {confirming ? (
            <>
              <button type="button" class="danger" disabled={busy} onClick={() => void cancel()}>
                {t('market.standing.cancelConfirm')}
              </button>
              <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                {t('market.standing.keep')}
              </button>
            </>
          ) : (
            <button type="button" class="secondary" onClick={() => setConfirming(true)}>
              {t('market.standing.cancel')}
            </button>
          )}
        </div>
      ) : null}
      {problem ? (
        <p class="error" role="alert">
          {problem}
        </p>
      ) : null}
    </li>
  );
}
