/**
 * One order as a printable delivery note (送货单): number, parties and phones, address, slot, goods, timeline,
 * and a QR code (drawn here as SVG, nothing downloaded) that opens this page — where the receiver, signed in,
 * confirms receipt with the quantity received. Print stylesheet: A4 and phone widths.
 */
import { useEffect, useState } from 'preact/hooks';
import qrcode from 'qrcode-generator';
import { findProduct, productName } from '../../../../shared/domain/catalogue';
import type { Order } from '../../state/market-types';
import { moneyText, readGrams, shortTime, weightText } from '../../state/market-format';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { useMarket } from './context';
import { failureText } from './bits';
import { canEditDelivery } from '../../state/delivery-edit';
import { DeliveryEdit } from './DeliveryEdit';

// Its styles (A4 print, QR size) are in market.css: the CSP refuses inline <style>.

export function DeliveryNote({ id }: { id: string }) {
  const { t, locale } = useApp();
  const { api, market } = useMarket();
  const { role, orders } = useStore(market);
  const [order, setOrder] = useState<Order | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [received, setReceived] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.order(id).then((r) => (r.ok ? setOrder(r.data) : setProblem(failureText(t, r.error))));
  }, [id]);

  // Live: the other party's change (an `order:updated` event, applied by the market store) shows here too.
  // Events carry the public view without the contacts, so the loaded contacts stay.
  const live = orders.find((o) => o.id === id);
  useEffect(() => {
    if (live && order && live !== order && Date.parse(live.updatedAt) >= Date.parse(order.updatedAt))
      setOrder({ ...order, ...live, contacts: live.contacts ?? order.contacts });
  }, [live]);

  if (!order) return <Page title={t('market.note.title')}>{problem ? <p class="error">{problem}</p> : null}</Page>;

  const link = `${location.origin}${location.pathname}#/market/order/${order.id}`;
  const qr = qrcode(0, 'M');
  qr.addData(link);
  qr.make();
  const svg = qr.createSvgTag({ cellSize: 4, margin: 2, scalable: true });
  const canReceive = role !== 'farm' && order.status === 'dispatched';

  async function receive(e: Event) {
    e.preventDefault();
    const grams = readGrams(received, 'kg', { allowZero: true });
    if (!grams.ok || !order) {
      setProblem(t('market.note.badQuantity'));
      return;
    }
    setBusy(true);
    const r = await market.orderAction(order.id, 'deliver', { deliveredGrams: grams.grams });
    setBusy(false);
    if (r.ok) setOrder({ ...order, ...r.data, contacts: order.contacts });
    else setProblem(failureText(t, r.error));
  }

  return (
    <Page title={`${t('market.note.title')} ${order.number ?? ''}`}>
      <article class="delivery-note">
        <p>
          <strong>{order.number ?? order.id}</strong> · {t(`market.orderStatus.${order.status}`)}
          {order.brokered ? <span class="badge"> {t('market.note.brokered')}</span> : null}
        </p>
        <dl>
          <dt>{t('market.note.goods')}</dt>
          <dd>
            {(() => {
              const product = findProduct(order.productCode);
              return product ? productName(product, locale) : order.productCode;
            })()}{' '}
            {weightText(order.quantityGrams, locale, 'kg')} · {moneyText(order.totalFen, locale)}
          </dd>
          <dt>{t('market.note.seller')}</dt>
          <dd>
            {order.sellerName ?? ''} {order.contacts?.sellerPhone ?? ''}
          </dd>
          <dt>{t('market.note.buyer')}</dt>
          <dd>
            {order.buyerName ?? ''} {order.contacts?.buyerPhone ?? ''}
          </dd>
          <dt>{order.delivery?.mode === 'pickup' ? t('market.note.pickup') : t('market.note.deliverTo')}</dt>
          <dd>{order.delivery?.address ?? '—'}</dd>
          <dt>{t('market.note.slot')}</dt>
          <dd>{order.slot ? `${shortTime(order.slot.from)} – ${shortTime(order.slot.to)}` : '—'}</dd>
        </dl>
        <h3>{t('market.note.timeline')}</h3>
        <ol>
          {(order.timeline ?? []).map((s) => (
            <li key={`${s.status}-${s.at}`}>
              {shortTime(s.at)}{' '}
              {s.status === 'edited'
                ? t('market.note.edited')
                : s.status === 'pending'
                  ? ''
                  : t(`market.orderStatus.${s.status}`)}
              {s.side === 'buyer'
                ? ` · ${t('market.note.buyer')}`
                : s.side === 'seller'
                  ? ` · ${t('market.note.seller')}`
                  : ''}
              {s.viaBroker ? ` · ${t('market.note.brokered')}` : ''}
            </li>
          ))}
        </ol>
        <div class="qr" aria-label={t('market.note.qr')} dangerouslySetInnerHTML={{ __html: svg }} />
        <p class="muted">{t('market.note.qr')}</p>
        <p class="muted">{t('market.note.signature')}</p>
      </article>
      <div class="no-print">
        <button type="button" onClick={() => window.print()}>
          {t('market.note.print')}
        </button>
        {canEditDelivery(order, role) ? (
          <DeliveryEdit order={order} onSaved={(saved) => setOrder({ ...order, ...saved, contacts: order.contacts })} />
        ) : null}
        {canReceive ? (
          <form onSubmit={receive}>
            <label>
              {t('market.note.receivedKg')}
              <input
                name="receivedKg"
                inputMode="decimal"
                value={received}
                onInput={(e) => setReceived(e.currentTarget.value)}
              />
            </label>
            <button type="submit" disabled={busy}>
              {t('market.note.confirmReceipt')}
            </button>
          </form>
        ) : null}
        {problem ? <p class="error">{problem}</p> : null}
      </div>
    </Page>
  );
}
