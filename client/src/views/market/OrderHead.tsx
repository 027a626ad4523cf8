/** The head of an order's card (an order, a proposed order): product, order number, the note's link, status. */
import { findProduct, productName } from '../../../../shared/domain/catalogue';
import type { Order } from '../../state/market-types';
import { useApp } from '../context';

export function OrderHead({ order }: { order: Order }) {
  const { t, locale } = useApp();
  const product = findProduct(order.productCode);
  return (
    <header class="lot-head">
      <h3>{product ? productName(product, locale) : order.productCode}</h3>
      <p>
        {order.number ? <strong>{order.number} </strong> : null}
        <a href={`#/market/order/${order.id}`}>{t('market.note.open')}</a>
      </p>
      <span class={`badge order-${order.status}`}>{t(`market.orderStatus.${order.status}`)}</span>
    </header>
  );
}
