import { useEffect } from 'preact/hooks';
import { shortTime } from '../../state/market-format';
import { marketHref } from '../../state/market-routes';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { UnitPicker, useUnits } from '../market/bits';
import { useDesk } from './context';
import { DeskTabs, deskFailureText, orgText, permilleText, productText } from './bits';
import { PlanPanel } from './PlanPanel';
import { DealLog } from './DealLog';
import { ListTools, LoadMore } from '../market/list-paging';

/** The board's lots come soonest expiry first: the one order whose key never changes between pages. */
const BOARD_SORTS = [{ value: 'expiry', label: 'desk.board.sortExpiry' }] as const;

/** Live refresh: market events reload the board (main.tsx); this is the floor when the market is quiet. */
const POLL_MS = 30_000;

/** The at-risk board: lots about to spoil, farms with surplus ahead, demand nobody answered. */
export function BoardView() {
  const { t, locale } = useApp();
  const { desk } = useDesk();
  const { board, boardError, loadingBoard, planning, boardQuery, loadingMoreBoard } = useStore(desk);
  const { weight, price } = useUnits();
  useEffect(() => {
    void desk.loadBoard();
    const timer = setInterval(() => void desk.loadBoard(), POLL_MS);
    return () => clearInterval(timer);
  }, [desk]);

  return (
    <Page title={t('desk.board.title')} wide>
      <DeskTabs current="board" />
      <div class="desk-toolbar">
        <UnitPicker />
        <span class="muted small" role="status">
          {board ? t('desk.board.updated', { at: shortTime(board.generatedAt) }) : t('app.loading')} ·{' '}
          {t('desk.board.auto')}
        </span>
        <button type="button" class="secondary" disabled={loadingBoard} onClick={() => void desk.loadBoard()}>
          {t('desk.board.refresh')}
        </button>
        <button type="button" disabled={planning} onClick={() => void desk.matchAll()}>
          {t('desk.board.matchAll')}
        </button>
      </div>
      {boardError ? <p class="alert alert-error">{deskFailureText(t, boardError)}</p> : null}
      <PlanPanel />

      <section class="card">
        <h2>{t('desk.board.lots')}</h2>
        <ListTools
          id="desk-board"
          q={boardQuery}
          sort="expiry"
          sorts={BOARD_SORTS}
          placeholder="desk.board.searchPlaceholder"
          onSearch={({ q }) => {
            if (q !== undefined) void desk.searchBoard(q);
          }}
        />
        {board && board.items.length === 0 ? (
          <p class="muted">{boardQuery ? t('market.list.noMatch', { q: boardQuery }) : t('desk.board.lotsEmpty')}</p>
        ) : null}
        {board && board.items.length > 0 ? (
          <div class="table-wrap">
            <table class="desk-table" data-testid="at-risk-lots">
              <thead>
                <tr>
                  <th scope="col">{t('desk.board.product')}</th>
                  <th scope="col">{t('desk.board.farm')}</th>
                  <th scope="col">{t('desk.board.left')}</th>
                  <th scope="col" class="num">
                    {t('desk.board.remaining')}
                  </th>
                  <th scope="col">{t('desk.board.unsold')}</th>
                  <th scope="col">{t('desk.board.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {board.items.map((l) => (
                  <tr key={l.lotId} data-lot={l.lotId}>
                    <th scope="row">
                      <a href={marketHref({ name: 'lot', id: l.lotId })}>{productText(l.productCode, locale)}</a>
                    </th>
                    <td data-label={t('desk.board.farm')}>{orgText(t, l.sellerName)}</td>
                    <td data-label={t('desk.board.left')}>
                      <span
                        class={l.hoursLeft < 24 ? 'urgency urgency-urgent' : 'urgency urgency-at_risk'}
                        title={t('market.expiresAt', { at: shortTime(l.expiresAt) })}
                      >
                        {t('desk.board.hoursLeft', { h: Math.floor(l.hoursLeft) })}
                      </span>
                      <span class="muted small"> {t('market.expiresAt', { at: shortTime(l.expiresAt) })}</span>
                    </td>
                    <td class="num" data-label={t('desk.board.remaining')}>
                      {weight(l.remainingGrams)} / {weight(l.quantityGrams)}
                    </td>
                    <td data-label={t('desk.board.unsold')}>
                      <span class="meter" aria-hidden="true">
                        <span style={{ width: `${l.unsoldPermille / 10}%` }} />
                      </span>{' '}
                      {permilleText(l.unsoldPermille)}
                    </td>
                    <td>
                      <button
                        type="button"
                        class="small-button"
                        disabled={planning}
                        onClick={() => void desk.findBuyers(l.lotId)}
                      >
                        {t('desk.board.findBuyers')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {board ? (
          <LoadMore
            hasMore={board.nextCursor !== null}
            loading={loadingMoreBoard}
            onMore={() => void desk.loadMoreBoard()}
          />
        ) : null}
      </section>

      <div class="desk-columns">
        <section class="card">
          <h2>{t('desk.board.surplus')}</h2>
          {board && board.surplusFarms.length === 0 ? <p class="muted">{t('desk.board.surplusEmpty')}</p> : null}
          <ul class="plain desk-list">
            {board?.surplusFarms.map((f) => (
              <li key={f.orgId}>
                <strong>{orgText(t, f.name)}</strong> <span>{weight(f.surplusGrams)}</span>
                <span class="muted small">
                  {f.products.map((p) => `${productText(p.productCode, locale)} ${weight(p.surplusGrams)}`).join('、')}{' '}
                  · {t('desk.board.from')} {f.firstSurplusDate.replace(/-/g, '/')}
                </span>
              </li>
            ))}
          </ul>
        </section>
        <section class="card">
          <h2>{t('desk.board.demand')}</h2>
          {board && board.unansweredDemand.length === 0 ? <p class="muted">{t('desk.board.demandEmpty')}</p> : null}
          <ul class="plain desk-list">
            {board?.unansweredDemand.map((d) => (
              <li key={d.id}>
                <strong>{orgText(t, d.buyerName)}</strong>
                <span>
                  {productText(d.productCode, locale)} {weight(d.quantityGrams)} · {t('desk.board.maxPrice')}{' '}
                  {price(d.maxPriceFenPerKg)}
                </span>
                <span class="muted small">
                  {t('desk.board.neededBy')} {shortTime(d.neededBy)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <DealLog />
    </Page>
  );
}
