import { useEffect } from 'preact/hooks';
import { marketHref } from '../../state/market-routes';
import { groupOffers } from '../../state/offer-groups';
import type { Offer } from '../../state/market-types';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { useMarket } from './context';
import { productLabel, UnitPicker } from './bits';
import { OfferRow } from './OfferRow';
import { LoadMore } from './list-paging';

/**
 * A restaurant's bids and the sell offers made to it, in one place: what waits for its answer
 * (a farm's counter, a farm's offer to its purchase request) first, then what waits for the farm,
 * then the closed ones. Every row answers in one tap, live as the farm moves.
 */
export function MyOffersView() {
  const { t, locale } = useApp();
  const { market } = useMarket();
  const { offers, offersNext, loadingMore } = useStore(market);
  const { yourTurn: mineToAnswer, theirTurn: theirsToAnswer, closed } = groupOffers(offers, 'buyer');
  const liveLotIds = [...new Set([...mineToAnswer, ...theirsToAnswer].map((o) => o.lotId))].sort().join(',');

  // the product and countdown of a lot that is no longer on the board (sold out, or its own page)
  useEffect(() => {
    for (const id of liveLotIds ? liveLotIds.split(',') : []) if (!market.lot(id)) void market.fetchLot(id);
  }, [liveLotIds, market]);

  const group = (items: Offer[]) => (
    <ul class="offers">
      {items.map((o) => {
        const lot = market.lot(o.lotId);
        return (
          <li key={o.id} class="offer-group">
            <a href={marketHref({ name: 'lot', id: o.lotId })}>
              {lot ? productLabel(lot, locale) : t('market.offers.lot')}
            </a>
            <ul class="offers">
              <OfferRow offer={o} side="buyer" />
            </ul>
          </li>
        );
      })}
    </ul>
  );

  return (
    <Page title={t('market.offers.title')}>
      <UnitPicker />
      <section class="card">
        <h2>{t('market.offers.yourTurn', { n: mineToAnswer.length })}</h2>
        {mineToAnswer.length ? group(mineToAnswer) : <p class="muted">{t('market.offers.noneYourTurn')}</p>}
      </section>
      <section class="card">
        <h2>{t('market.offers.theirTurn', { n: theirsToAnswer.length })}</h2>
        {theirsToAnswer.length ? group(theirsToAnswer) : <p class="muted">{t('market.offers.noneTheirTurn')}</p>}
      </section>
      {closed.length ? (
        <details>
          <summary>{t('market.offers.closed', { n: closed.length })}</summary>
          {group(closed)}
        </details>
      ) : null}
      <LoadMore hasMore={offersNext !== null} loading={loadingMore} onMore={() => void market.moreOffers()} />
    </Page>
  );
}
