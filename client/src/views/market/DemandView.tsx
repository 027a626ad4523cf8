import { useEffect, useMemo, useState } from 'preact/hooks';
import { findProduct, productName } from '../../../../shared/domain/catalogue';
import { DemandStore } from '../../state/demand';
import { stillWantedGrams } from '../../../../shared/domain/demand';
import { deliveryWindowText, lotsForDemand, type DemandView as Demand } from '../../state/demand-forms';
import type { MarketApi } from '../../state/market-api';
import type { Offer } from '../../state/market-types';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { Alert } from '../components/Alert';
import { failureText, UnitPicker, useUnits } from './bits';
import { useMarket } from './context';
import { SellOfferForm } from './SellOfferForm';
import { LoadMore } from './list-paging';
import './demand.css';

type OfferOnDemand = Offer & { demandId?: string };

/**
 * A farm's view of what restaurants are looking for: products it has lots of first. Demand has no live
 * event yet, so the list is re-read when the page comes back into view (and on the refresh button).
 */
export function DemandView({ api }: { api: MarketApi }) {
  const { t } = useApp();
  const { market } = useMarket();
  const { mine, now } = useStore(market);
  const store = useMemo(() => new DemandStore(api), [api]);
  const { open, openNext, loadingMore, loaded, error } = useStore(store);
  useEffect(() => {
    void store.loadOpen();
    const again = () => {
      if (document.visibilityState === 'visible') void store.loadOpen();
    };
    window.addEventListener('focus', again);
    document.addEventListener('visibilitychange', again);
    return () => {
      window.removeEventListener('focus', again);
      document.removeEventListener('visibilitychange', again);
    };
  }, [store]);
  const stocked = new Set(mine.filter((l) => l.status === 'open' && l.remainingGrams > 0).map((l) => l.productCode));
  // Stable: products the farm has first, then soonest needed (the store keeps that order).
  const sorted = [
    ...open.filter((d) => stocked.has(d.productCode)),
    ...open.filter((d) => !stocked.has(d.productCode)),
  ];
  return (
    <Page title={t('market.demandBoard.title')}>
      <p class="muted">{t('market.demandBoard.intro')}</p>
      <div class="demand-toolbar">
        <UnitPicker />
        <button type="button" class="secondary" onClick={() => void store.loadOpen()}>
          {t('market.demandBoard.refresh')}
        </button>
      </div>
      {error ? <Alert kind="error">{failureText(t, error)}</Alert> : null}
      {loaded && sorted.length === 0 && !error ? <p class="muted">{t('market.demandBoard.empty')}</p> : null}
      <ul class="plain-cards">
        {sorted.map((d) => (
          <DemandCard key={d.id} demand={d} store={store} stocked={stocked.has(d.productCode)} now={now} />
        ))}
      </ul>
      {loaded && sorted.length > 0 ? (
        <LoadMore
          hasMore={openNext !== null}
          loading={loadingMore}
          onMore={() => void store.moreOpen()}
          end="market.list.end"
        />
      ) : null}
    </Page>
  );
}

function DemandCard({
  demand,
  store,
  stocked,
  now,
}: {
  demand: Demand;
  store: DemandStore;
  stocked: boolean;
  now: number;
}) {
  const { t, locale } = useApp();
  const { market } = useMarket();
  const { mine, offers } = useStore(market);
  const { weight, price } = useUnits();
  const [offering, setOffering] = useState(false);
  const [sent, setSent] = useState(false);
  const product = findProduct(demand.productCode);
  const fitting = lotsForDemand(demand, mine, now);
  const myOffers = (offers as OfferOnDemand[]).filter((o) => o.demandId === demand.id);
  return (
    <li class="card demand-card" data-demand={demand.id}>
      <header class="lot-head">
        <h2 class="demand-product">{product ? productName(product, locale) : demand.productCode}</h2>
        {stocked ? <span class="badge have-lot">{t('market.demandBoard.haveLot')}</span> : null}
      </header>
      {demand.buyerName ? <p class="small demand-buyer">{demand.buyerName}</p> : null}
      <p class="demand-terms">
        <strong>{t('market.demandBoard.wants', { w: weight(demand.quantityGrams) })}</strong>
        {demand.filledGrams ? (
          <span class="demand-still">
            {t('market.demandBoard.stillWanted', {
              w: weight(stillWantedGrams(demand)),
              got: weight(demand.filledGrams),
            })}
          </span>
        ) : null}
        <span>{t('market.demandBoard.maxPrice', { p: price(demand.maxPriceFenPerKg) })}</span>
        <span class="demand-window">{deliveryWindowText(t, demand)}</span>
        <span class="muted">
          {demand.deliveryRequired ? t('market.demandBoard.delivery') : t('market.demandBoard.pickup')}
        </span>
      </p>
      {demand.deliveryAddress ? (
        <p class="small demand-address">{t('market.demandBoard.address', { a: demand.deliveryAddress })}</p>
      ) : null}
      {demand.note ? <p class="muted small note">{demand.note}</p> : null}
      {myOffers.map((o) => (
        <p key={o.id} class="small">
          {t('market.demandBoard.yourOffer', { w: weight(o.quantityGrams), p: price(o.priceFenPerKg) })} ·{' '}
          <span class="badge">{t(`market.offerStatus.${o.status}`)}</span>
        </p>
      ))}
      {sent && !offering ? <Alert kind="ok">{t('market.sell.sent')}</Alert> : null}
      {offering ? (
        <SellOfferForm
          demand={demand}
          lots={fitting}
          store={store}
          onDone={(ok) => {
            setOffering(false);
            setSent(ok);
          }}
        />
      ) : (
        <div class="actions">
          <button type="button" onClick={() => setOffering(true)}>
            {t('market.demandBoard.offer')}
          </button>
        </div>
      )}
    </li>
  );
}
