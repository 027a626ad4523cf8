import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context';
import { useStore } from '../useStore';
import { Page } from '../components/Page';
import { Alert } from '../components/Alert';
import { useMarket } from './context';
import { failureText, UnitPicker } from './bits';
import { LotCard } from './LotCard';
import { marketHref } from '../../state/marketRoutes';
import { groupOffers } from '../../state/offerGroups';

/** The board is live over the socket (market:board room); this slow re-read only mends a missed event. */
const BOARD_REFRESH_MS = 60_000;

/** Open lots across the market, soonest expiry first, filterable by product. */
export function BoardView() {
  const { t, locale } = useApp();
  const { market } = useMarket();
  const { board, now, error, loading, offers, role } = useStore(market);
  const yourTurn = role === 'restaurant' ? groupOffers(offers, 'buyer').yourTurn.length : 0;
  const [product, setProduct] = useState('');
  useEffect(() => {
    const timer = setInterval(() => void market.refreshBoard(), BOARD_REFRESH_MS);
    return () => clearInterval(timer);
  }, [market]);
  const products = [...new Map(board.map((l) => [l.productCode, locale === 'zh-CN' ? l.productNameZh : l.productNameEn])).entries()];
  const shown = product ? board.filter((l) => l.productCode === product) : board;
  return (
    <Page title={t('market.board.title')} wide>
      <UnitPicker />
      {error ? <Alert kind="error">{failureText(t, error)}</Alert> : null}
      {yourTurn ? (
        <p role="status" class="waiting-bids">
          <a href={marketHref({ name: 'offers' })}>{t('market.board.yourTurn', { n: yourTurn })}</a>
        </p>
      ) : null}
      <div class="chips" role="group" aria-label={t('market.board.filter')}>
        <button type="button" class={product === '' ? 'chip on' : 'chip'} aria-pressed={product === ''} onClick={() => setProduct('')}>
          {t('market.board.all', { n: board.length })}
        </button>
        {products.map(([code, name]) => (
          <button key={code} type="button" class={product === code ? 'chip on' : 'chip'} aria-pressed={product === code} onClick={() => setProduct(code)}>
            {name}
          </button>
        ))}
      </div>
      {loading && board.length === 0 ? <p>{t('app.loading')}</p> : null}
      {!loading && shown.length === 0 ? <p class="muted">{t('market.board.empty')}</p> : null}
      <div class="lot-grid" aria-live="polite">
        {shown.map((lot) => (
          <LotCard key={lot.id} lot={lot} now={now} />
        ))}
      </div>
    </Page>
  );
}
