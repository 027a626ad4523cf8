import { useEffect } from 'preact/hooks';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { Alert } from '../components/Alert';
import { useMarket } from './context';
import { failureText, UnitPicker } from './bits';
import { LotCard } from './LotCard';
import { marketHref } from '../../state/market-routes';
import { groupOffers } from '../../state/offer-groups';
import { boardRegions, visibleLots } from '../../state/board-watch';
import { ListTools, LoadMore } from './list-paging';

const BOARD_SORTS = [
  { value: 'expiry', label: 'market.board.sort.expiry' },
  { value: 'price', label: 'market.board.sort.price' },
  { value: 'distance', label: 'market.board.sort.distance' },
] as const;

/** The board is live over the socket (the rooms `market:watch` chose); this slow re-read only mends a missed event. */
const BOARD_REFRESH_MS = 60_000;

/**
 * Open lots across the market, page by page (infinite scroll): searched and sorted by expiry, price or distance
 * on the server, filterable by product and region among the pages read (the socket follows that choice).
 */
export function BoardView() {
  const { t, locale } = useApp();
  const { market } = useMarket();
  const { board, boardFilter, boardSearch, boardNext, loadingMore, now, error, loading, offers, role } =
    useStore(market);
  // sort=distance without a delivery point: the server names `lat`; the person is sent to set the location.
  const needsLocation = error?.fields?.lat !== undefined && boardSearch.sort === 'distance';
  const yourTurn = role === 'restaurant' ? groupOffers(offers, 'buyer').yourTurn.length : 0;
  const product = boardFilter.productCode;
  const region = boardFilter.region;
  useEffect(() => {
    const timer = setInterval(() => void market.refreshBoard(), BOARD_REFRESH_MS);
    return () => clearInterval(timer);
  }, [market]);
  // Each row of chips offers what the other row's choice leaves (the chosen chip always stays).
  const inRegion = visibleLots(board, { productCode: null, region });
  const products = [
    ...new Map(
      [...inRegion, ...board.filter((l) => l.productCode === product)].map((l) => [
        l.productCode,
        locale === 'zh-CN' ? l.productNameZh : l.productNameEn,
      ]),
    ).entries(),
  ];
  const regions = boardRegions(visibleLots(board, { productCode: product, region: null }));
  const shown = visibleLots(board, boardFilter);
  const choose = (patch: Parameters<typeof market.filterBoard>[0]) => void market.filterBoard(patch);
  return (
    <Page title={t('market.board.title')} wide>
      <UnitPicker />
      {needsLocation ? (
        <Alert kind="error">
          {t('market.board.needLocation')} <a href="#/org">{t('market.board.setLocation')}</a>
        </Alert>
      ) : error ? (
        <Alert kind="error">{failureText(t, error)}</Alert>
      ) : null}
      {yourTurn ? (
        <p role="status" class="waiting-bids">
          <a href={marketHref({ name: 'offers' })}>{t('market.board.yourTurn', { n: yourTurn })}</a>
        </p>
      ) : null}
      <div class="chips" role="group" aria-label={t('market.board.filter')}>
        <button
          type="button"
          class={product === null ? 'chip on' : 'chip'}
          aria-pressed={product === null}
          onClick={() => choose({ productCode: null })}
        >
          {t('market.board.all', { n: inRegion.length })}
        </button>
        {products.map(([code, name]) => (
          <button
            key={code}
            type="button"
            class={product === code ? 'chip on' : 'chip'}
            aria-pressed={product === code}
            onClick={() => choose({ productCode: code })}
          >
            {name}
          </button>
        ))}
      </div>
      {regions.length > 0 || region !== null ? (
        <div class="chips" role="group" aria-label={t('market.board.filterRegion')}>
          <button
            type="button"
            class={region === null ? 'chip on' : 'chip'}
            aria-pressed={region === null}
            onClick={() => choose({ region: null })}
          >
            {t('market.board.allRegions')}
          </button>
          {(region !== null && !regions.includes(region) ? [region, ...regions] : regions).map((r) => (
            <button
              key={r}
              type="button"
              class={region === r ? 'chip on' : 'chip'}
              aria-pressed={region === r}
              onClick={() => choose({ region: r })}
            >
              {r}
            </button>
          ))}
        </div>
      ) : null}
      <ListTools
        id="board"
        q={boardSearch.q}
        sort={boardSearch.sort}
        sorts={BOARD_SORTS}
        placeholder="market.list.searchPlaceholder"
        onSearch={(patch) => void market.searchBoard(patch)}
      />
      {loading && board.length === 0 ? <p>{t('app.loading')}</p> : null}
      {!loading && shown.length === 0 && !boardNext ? (
        <p class="muted">{boardSearch.q ? t('market.list.noMatch', { q: boardSearch.q }) : t('market.board.empty')}</p>
      ) : null}
      <div class="lot-grid" aria-live="polite">
        {shown.map((lot) => (
          <LotCard key={lot.id} lot={lot} now={now} />
        ))}
      </div>
      <LoadMore hasMore={boardNext !== null} loading={loadingMore} onMore={() => void market.moreBoard()} />
    </Page>
  );
}
