import { useEffect, useState } from 'preact/hooks';
import type { MessageKey } from '../../i18n';
import type { MarketUpdate } from '../../../../shared/schemas/market';
import { lotPriceNow, lotRef, moneyText, shortTime } from '../../state/market-format';
import type { Lot, Offer, Order } from '../../state/market-types';
import { findProduct, productName } from '../../../../shared/domain/catalogue';
import { marketHref } from '../../state/market-routes';
import { needsNameLookup, organisationNames, partyName } from '../../state/market-names';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { useMarket } from './context';
import { Countdown, productLabel, UnitPicker, useUnits } from './bits';
import { ChamberTable } from './ChamberTable';

/**
 * Chamber staff, read-only: every open lot (at risk first), the market's recent offers and orders
 * (GET /offers and /orders answer chamber staff market-wide; socket events keep them live), and the
 * market's events as they happen.
 */
export function ChamberView() {
  const { t, locale } = useApp();
  const { market } = useMarket();
  const { board, feed, now, offers, orders } = useStore(market);
  const { weight } = useUnits();
  const names = useOrgNames(needsNameLookup([...offers, ...orders]));
  const atRisk = board.filter((l) => l.urgency !== 'fresh').length;
  return (
    <Page title={t('market.chamber.title')} wide>
      <UnitPicker />
      <p>{t('market.chamber.summary', { n: board.length, r: atRisk })}</p>
      <div class="table-wrap card">
        <table>
          <caption class="muted">{t('market.chamber.lots')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('market.chamber.product')}</th>
              <th scope="col">{t('market.chamber.remaining')}</th>
              <th scope="col">{t('market.chamber.priceNow')}</th>
              <th scope="col">{t('market.chamber.left')}</th>
              <th scope="col">{t('market.chamber.pickup')}</th>
            </tr>
          </thead>
          <tbody>
            {board.map((lot) => (
              <tr key={lot.id}>
                <th scope="row">
                  <a href={marketHref({ name: 'lot', id: lot.id })}>{productLabel(lot, locale)}</a>
                </th>
                <td>{weight(lot.remainingGrams)}</td>
                <td data-price-now={lotPriceNow(lot, now).fenPerKg}>
                  <PriceNow lot={lot} now={now} />
                </td>
                <td>
                  <Countdown lot={lot} now={now} />
                </td>
                <td>{lot.pickup?.name ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <MarketOffers offers={offers} orders={orders} board={board} names={names} />
      <MarketOrders orders={orders} names={names} />
      <section class="card">
        <h2>{t('market.chamber.feed')}</h2>
        <p class="muted small">{t('market.chamber.feedNote')}</p>
        {feed.length === 0 ? <p class="muted">{t('market.chamber.feedEmpty')}</p> : null}
        <ul class="plain">
          {feed.map((u) => (
            <FeedLine key={`${u.type}-${u.at}-${u.lotId ?? ''}-${u.offerId ?? ''}-${u.orderId ?? ''}`} update={u} />
          ))}
        </ul>
      </section>
    </Page>
  );
}

/** The clock's price while it falls (marked, the ask struck beside it), else the ask. */
function PriceNow({ lot, now }: { lot: Lot; now: number }) {
  const { t } = useApp();
  const { price } = useUnits();
  const p = lotPriceNow(lot, now);
  if (!p.clock) return <>{price(p.fenPerKg)}</>;
  return (
    <>
      <strong>{price(p.fenPerKg)}</strong> <span class="badge at-risk">{t('market.chamber.clockNow')}</span>{' '}
      <s class="muted small" aria-label={t('market.chamber.ask')}>
        {price(lot.askPriceFenPerKg)}
      </s>
    </>
  );
}

function FeedLine({ update }: { update: MarketUpdate }) {
  const { t } = useApp();
  const { weight, price } = useUnits();
  // The event carries what changed (shared/schemas/market.ts): the deal's terms, else the lot's.
  const { lot, offer, order } = update.data as { lot?: Lot; offer?: Offer; order?: Order };
  const deal = offer ?? order;
  const grams = deal?.quantityGrams ?? lot?.remainingGrams ?? null;
  // A lot on a clock sale is quoted at its clock price when the event happened, not its ask.
  const fen = deal?.priceFenPerKg ?? (lot ? lotPriceNow(lot, Date.parse(update.at)).fenPerKg : null);
  const name = lot?.productNameZh ?? '';
  return (
    <li>
      <span>{t(`market.event.${update.type}`)}</span>
      <span>
        {name} {grams !== null ? weight(grams) : ''} {fen !== null ? price(fen) : ''}
      </span>
      <span class="muted small">{shortTime(update.at)}</span>
    </li>
  );
}

/**
 * Farm and restaurant names by id (the accounts API's organisation list, 200 of each), for offers and
 * orders made before they carried the parties' names; not fetched while every record has them.
 */
function useOrgNames(needed: boolean): Map<string, string> {
  const { api } = useApp();
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (!needed) return;
    let live = true;
    void organisationNames(api, ['farm', 'restaurant']).then((found) => {
      if (live) setNames(found);
    });
    return () => {
      live = false;
    };
  }, [api, needed]);
  return names;
}

const productText = (code: string, locale: 'zh-CN' | 'en'): string => {
  const p = findProduct(code);
  return p ? productName(p, locale) : code;
};

/** A lot's product code, from the board (open lots) or an order on that lot. */
const productOfLot = (lotId: string, board: readonly Lot[], orders: readonly Order[]): string | null =>
  board.find((l) => l.id === lotId)?.productCode ?? orders.find((o) => o.lotId === lotId)?.productCode ?? null;

const PARTIES: readonly MessageKey[] = [
  'market.chamber.product',
  'market.chamber.seller',
  'market.chamber.buyer',
  'market.chamber.quantity',
  'market.chamber.price',
];

function MarketOffers({
  offers,
  orders,
  board,
  names,
}: {
  offers: Offer[];
  orders: Order[];
  board: Lot[];
  names: Map<string, string>;
}) {
  const { t, locale } = useApp();
  const { weight, price } = useUnits();
  return (
    <ChamberTable
      testId="chamber-offers"
      title="market.chamber.offers"
      empty="market.chamber.offersEmpty"
      columns={[...PARTIES, 'market.chamber.status', 'market.chamber.updated']}
      count={offers.length}
    >
      {offers.map((o) => {
        const code = productOfLot(o.lotId, board, orders);
        return (
          <tr key={o.id} data-offer={o.id}>
            <th scope="row">{code ? productText(code, locale) : '—'}</th>
            <td>{partyName(o.sellerName, o.sellerOrgId, names)}</td>
            <td>{partyName(o.buyerName, o.buyerOrgId, names)}</td>
            <td>{weight(o.quantityGrams)}</td>
            <td>{price(o.priceFenPerKg)}</td>
            <td>
              <span class="badge">{t(`market.offerStatus.${o.status}`)}</span>
            </td>
            <td>{shortTime(o.updatedAt)}</td>
          </tr>
        );
      })}
    </ChamberTable>
  );
}

function MarketOrders({ orders, names }: { orders: Order[]; names: Map<string, string> }) {
  const { t, locale } = useApp();
  const { weight, price } = useUnits();
  return (
    <ChamberTable
      testId="chamber-orders"
      title="market.chamber.orders"
      empty="market.chamber.ordersEmpty"
      columns={[
        ...PARTIES,
        'market.chamber.total',
        'market.chamber.status',
        'market.chamber.updated',
        'market.chamber.lot',
      ]}
      count={orders.length}
    >
      {orders.map((o) => (
        <tr key={o.id} data-order={o.id}>
          <th scope="row">{productText(o.productCode, locale)}</th>
          <td>{partyName(o.sellerName, o.sellerOrgId, names)}</td>
          <td>{partyName(o.buyerName, o.buyerOrgId, names)}</td>
          <td>{weight(o.quantityGrams)}</td>
          <td>{price(o.priceFenPerKg)}</td>
          <td>{moneyText(o.totalFen, locale)}</td>
          <td>
            <span class="badge">{t(`market.orderStatus.${o.status}`)}</span>
          </td>
          <td>{shortTime(o.updatedAt)}</td>
          <td data-testid="order-lot">
            {o.lotId ? (
              <a href={marketHref({ name: 'lot', id: o.lotId })}>{lotRef(o.lotId)}</a>
            ) : (
              <span class="muted">{t('market.chamber.lotPending')}</span>
            )}
          </td>
        </tr>
      ))}
    </ChamberTable>
  );
}
