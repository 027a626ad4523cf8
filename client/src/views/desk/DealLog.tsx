import { useEffect } from 'preact/hooks';
import { draftValueFen } from '../../state/desk';
import { moneyText, shortTime } from '../../state/market-format';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { useUnits } from '../market/bits';
import { useDesk } from './context';
import { deskFailureText, orgText, productText } from './bits';
import { ListTools, LoadMore } from '../market/list-paging';

const DEAL_SORTS = [
  { value: 'newest', label: 'desk.deals.sortNewest' },
  { value: 'oldest', label: 'desk.deals.sortOldest' },
] as const;

/** Brokered offers (the server's record, so it survives a reload) and what became of them, live. */
export function DealLog() {
  const { t, locale } = useApp();
  const { desk } = useDesk();
  const { deals, dealsError, dealsQuery, dealsCursor, loadingMoreDeals } = useStore(desk);
  const { weight, price } = useUnits();
  useEffect(() => {
    void desk.loadDeals();
  }, [desk]);
  return (
    <section class="card" data-testid="deal-log">
      <h2>{t('desk.deals.title')}</h2>
      <p class="muted small">{t('desk.deals.note')}</p>
      {dealsError ? <p class="alert alert-error">{deskFailureText(t, dealsError)}</p> : null}
      <ListTools
        id="desk-deals"
        q={dealsQuery.q}
        sort={dealsQuery.sort}
        sorts={DEAL_SORTS}
        placeholder="desk.deals.searchPlaceholder"
        onSearch={(patch) => void desk.searchDeals(patch)}
      />
      {deals.length === 0 ? (
        <p class="muted">{dealsQuery.q ? t('market.list.noMatch', { q: dealsQuery.q }) : t('desk.deals.empty')}</p>
      ) : null}
      {deals.length > 0 ? (
        <div class="table-wrap">
          <table class="desk-table">
            <thead>
              <tr>
                <th scope="col">{t('desk.deals.sentAt')}</th>
                <th scope="col">{t('desk.plan.lot')}</th>
                <th scope="col">{t('desk.board.buyer')}</th>
                <th scope="col" class="num">
                  {t('desk.board.quantity')}
                </th>
                <th scope="col" class="num">
                  {t('desk.plan.value')}
                </th>
                <th scope="col">{t('desk.deals.offer')}</th>
                <th scope="col">{t('desk.deals.order')}</th>
              </tr>
            </thead>
            <tbody>
              {deals.map((d) => (
                <tr key={d.offerId} data-offer={d.offerId}>
                  <td data-label={t('desk.deals.sentAt')}>{shortTime(d.sentAt)}</td>
                  <td>
                    {d.proposal.productCode ? productText(d.proposal.productCode, locale) : '—'}
                    <div class="muted small">{orgText(t, d.proposal.sellerName)}</div>
                  </td>
                  <td data-label={t('desk.board.buyer')}>{orgText(t, d.proposal.buyerName)}</td>
                  <td class="num" data-label={t('desk.board.quantity')}>
                    {weight(d.quantityGrams)}
                    <div class="muted small">{price(d.priceFenPerKg)}</div>
                  </td>
                  <td class="num" data-label={t('desk.plan.value')}>
                    {moneyText(d.orderTotalFen ?? draftValueFen(d), 'zh-CN')}
                  </td>
                  <td data-label={t('desk.deals.offer')}>
                    <span class={`badge deal-${d.status}`}>{t(`market.offerStatus.${d.status}`)}</span>
                  </td>
                  <td data-label={t('desk.deals.order')}>
                    {d.orderStatus ? <span class="badge">{t(`market.orderStatus.${d.orderStatus}`)}</span> : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore hasMore={dealsCursor !== null} loading={loadingMoreDeals} onMore={() => void desk.loadMoreDeals()} />
    </section>
  );
}
