import type { MarketUpdate } from '../../../../shared/schemas/market';
import { shortTime } from '../../state/marketFormat';
import { marketHref } from '../../state/marketRoutes';
import { useApp } from '../context';
import { useStore } from '../useStore';
import { Page } from '../components/Page';
import { useMarket } from './context';
import { Countdown, productLabel, UnitPicker, useUnits } from './bits';

/**
 * Chamber staff, read-only: every open lot (at risk first) and the market's events as they happen.
 * Lists of all offers and orders are not in the API for the chamber yet (GET /offers and /orders
 * answer for the caller's own organisation), so those come from the live feed since the page opened.
 */
export function ChamberView() {
  const { t, locale } = useApp();
  const { market } = useMarket();
  const { board, feed, now } = useStore(market);
  const { weight, price } = useUnits();
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
              <th scope="col">{t('market.chamber.ask')}</th>
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
                <td>{price(lot.askPriceFenPerKg)}</td>
                <td>
                  <Countdown lot={lot} now={now} />
                </td>
                <td>{lot.pickup?.name ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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

function FeedLine({ update }: { update: MarketUpdate }) {
  const { t } = useApp();
  const { weight, price } = useUnits();
  const grams = typeof update.data.quantityGrams === 'number' ? update.data.quantityGrams : null;
  const fen = typeof update.data.priceFenPerKg === 'number' ? update.data.priceFenPerKg : typeof update.data.askPriceFenPerKg === 'number' ? update.data.askPriceFenPerKg : null;
  const name = typeof update.data.productNameZh === 'string' ? update.data.productNameZh : '';
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
