import { useState } from 'preact/hooks';
import type { MessageKey } from '../../i18n';
import type { OrderAction, OrderActionBody } from '../../state/market-api';
import { gramsInputValue, moneyText, readGrams, shortTime } from '../../state/market-format';
import type { Order, OrderStatus } from '../../state/market-types';
import { counterpartyName } from '../../state/market-names';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { useMarket } from './context';
import { UnitPicker, useUnits } from './bits';
import { ListTools, LoadMore } from './list-paging';
import { ProposedOrderCard } from './ProposedOrder';
import { ProblemLine, SendOrCancel } from '../components/InlineActions';
import { InlineInput, useFieldErrors } from '../components/use-field-errors';
import { ORDER_ACTION_PATHS } from '../../state/field-errors';
import { useCardAction } from './card-action';
import { OrderHead } from './OrderHead';

const ORDER_SORTS = [
  { value: 'newest', label: 'market.orders.sort.newest' },
  { value: 'oldest', label: 'market.orders.sort.oldest' },
  { value: 'price', label: 'market.orders.sort.price' },
] as const;

const STEPS: OrderStatus[] = ['confirmed', 'dispatched', 'delivered', 'completed'];
const DISPUTE_WINDOW_MS = 24 * 3_600_000;

/** Orders of the organisation, page by page (newest first, or as sorted and searched), with each side's next step. */
export function OrdersView() {
  const { t } = useApp();
  const { market } = useMarket();
  const { orders, role, ordersSearch, ordersNext, loadingMore } = useStore(market);
  const side = role === 'farm' ? 'seller' : 'buyer';
  // The farm answers proposed orders first; for the restaurant they sit among the active ones.
  const proposed = side === 'seller' ? orders.filter((o) => o.status === 'proposed') : [];
  const active = orders.filter(
    (o) =>
      o.status !== 'completed' &&
      o.status !== 'cancelled' &&
      o.status !== 'declined' &&
      !(side === 'seller' && o.status === 'proposed'),
  );
  const done = orders.filter((o) => o.status === 'completed' || o.status === 'cancelled' || o.status === 'declined');
  return (
    <Page title={t('market.orders.title')}>
      <UnitPicker />
      <ListTools
        id="orders"
        q={ordersSearch.q}
        sort={ordersSearch.sort}
        sorts={ORDER_SORTS}
        placeholder="market.orders.searchPlaceholder"
        onSearch={(patch) => void market.searchOrders(patch)}
      />
      {orders.length === 0 ? (
        <p class="muted">
          {ordersSearch.q ? t('market.list.noMatch', { q: ordersSearch.q }) : t('market.orders.empty')}
        </p>
      ) : null}
      {proposed.length ? (
        <section>
          <h2>{t('market.proposal.heading', { n: proposed.length })}</h2>
          <ul class="orders plain-cards">
            {proposed.map((o) => (
              <ProposedOrderCard key={o.id} order={o} />
            ))}
          </ul>
        </section>
      ) : null}
      {orders.length > 0 && active.length === 0 && proposed.length === 0 ? (
        <p class="muted">{t('market.orders.noneActive')}</p>
      ) : null}
      <ul class="orders plain-cards">
        {active.map((o) => (
          <OrderCard key={o.id} order={o} side={side} />
        ))}
      </ul>
      {done.length ? (
        <details>
          <summary>{t('market.orders.done', { n: done.length })}</summary>
          <ul class="orders plain-cards">
            {done.map((o) => (
              <OrderCard key={o.id} order={o} side={side} />
            ))}
          </ul>
        </details>
      ) : null}
      <LoadMore hasMore={ordersNext !== null} loading={loadingMore} onMore={() => void market.moreOrders()} />
    </Page>
  );
}

function OrderCard({ order, side }: { order: Order; side: 'buyer' | 'seller' }) {
  const { t, locale } = useApp();
  const { market, prefs } = useMarket();
  const { now } = useStore(market);
  const { weight, price } = useUnits();
  const { unit } = useStore(prefs);
  const [note, setNote] = useState('');
  const [received, setReceived] = useState('');
  const [reason, setReason] = useState('');
  const [mode, setMode] = useState<'idle' | 'deliver' | 'cancel' | 'dispute'>('idle');
  const id = `order-${order.id}`;
  const fields = useFieldErrors(ORDER_ACTION_PATHS, id, unit);
  const { busy, problem, setProblem, refuse, run } = useCardAction(fields);
  const act = async (action: OrderAction, body: OrderActionBody = {}) => {
    if (await run(() => market.orderAction(order.id, action, body))) setMode('idle');
  };
  const deliver = () => {
    const q = readGrams(received, unit, { allowZero: true });
    if (!q.ok) return refuse({ received: t(q.error) });
    if (q.grams > order.quantityGrams)
      return refuse({ received: t('market.orders.receivedTooMuch', { w: weight(order.quantityGrams) }) });
    void act('deliver', { deliveredGrams: q.grams });
  };
  const open = (next: typeof mode) => {
    setProblem(null);
    fields.clear();
    if (next === 'deliver') setReceived(gramsInputValue(order.quantityGrams, unit));
    setMode(next);
  };
  const withinDispute = order.deliveredAt !== undefined && now - Date.parse(order.deliveredAt) < DISPUTE_WINDOW_MS;
  const buttons: { key: MessageKey; run: () => void; kind?: string }[] = [];
  if (side === 'seller' && order.status === 'confirmed')
    buttons.push({ key: 'market.orders.dispatch', run: () => void act('dispatch') });
  if (order.status === 'dispatched')
    buttons.push({
      key: side === 'buyer' ? 'market.orders.received' : 'market.orders.delivered',
      run: () => open('deliver'),
    });
  if (side === 'buyer' && order.status === 'delivered') {
    buttons.push({ key: 'market.orders.complete', run: () => void act('complete') });
    if (withinDispute) buttons.push({ key: 'market.orders.dispute', run: () => open('dispute'), kind: 'danger' });
  }
  if (order.status === 'confirmed')
    buttons.push({ key: 'market.orders.cancel', run: () => open('cancel'), kind: 'secondary' });
  const shortGrams = order.deliveredGrams !== undefined ? order.quantityGrams - order.deliveredGrams : 0;
  const stepIndex = STEPS.indexOf(order.status);
  // A standing order's grams above the base are billed at the tolerance's discount.
  const extraGrams = order.standing
    ? Math.max(0, (order.deliveredGrams ?? order.quantityGrams) - order.standing.baseGrams)
    : 0;
  const them = counterpartyName(order, side);
  return (
    <li class="card order" data-order={order.id} data-status={order.status}>
      <OrderHead order={order} />
      <p>
        <strong>{weight(order.deliveredGrams ?? order.quantityGrams)}</strong> × {price(order.priceFenPerKg)} ={' '}
        <strong>{t('market.orders.total', { v: moneyText(order.totalFen, locale) })}</strong>
        {extraGrams > 0 && order.standing
          ? ` ${t('market.proposal.extraPriced', { w: weight(extraGrams), p: price(order.standing.extraPriceFenPerKg) })}`
          : ''}
      </p>
      {stepIndex >= 0 ? (
        <ol class="steps" aria-label={t('market.orders.progress')}>
          {STEPS.map((s, i) => (
            <li key={s} class={i <= stepIndex ? 'done' : ''} aria-current={i === stepIndex ? 'step' : undefined}>
              {t(`market.orderStatus.${s}`)}
            </li>
          ))}
        </ol>
      ) : null}
      <p class="muted small">
        {them ? <span class="party">{them} · </span> : null}
        {t('market.orders.placed', { at: shortTime(order.createdAt) })}
        {order.deliveredAt ? ` · ${t('market.orders.deliveredAt', { at: shortTime(order.deliveredAt) })}` : ''}
        {order.disputeNote ? ` · ${t('market.orders.disputeNote', { n: order.disputeNote })}` : ''}
        {order.cancelReason ? ` · ${t('market.orders.cancelReason', { r: order.cancelReason })}` : ''}
        {order.declineReason ? ` · ${t('market.proposal.declinedBecause', { r: order.declineReason })}` : ''}
      </p>
      {shortGrams > 0 ? (
        <p class="error small">
          {t('market.orders.shortfall', { ordered: weight(order.quantityGrams), short: weight(shortGrams) })}
        </p>
      ) : null}
      {buttons.length && mode === 'idle' ? (
        <div class="actions">
          {buttons.map((b) => (
            <button key={b.key} type="button" class={b.kind} disabled={busy} onClick={b.run}>
              {t(b.key)}
            </button>
          ))}
        </div>
      ) : null}
      {mode === 'deliver' ? (
        <div class="inline-form">
          <InlineInput
            label={t('market.orders.receivedLabel', { unit: t(`market.unit.${unit}`) })}
            name="received"
            idPrefix={id}
            value={received}
            onValue={setReceived}
            handle={fields}
            hint={t('market.orders.receivedHint', { w: weight(order.quantityGrams) })}
          />
          <SendOrCancel
            label={t(side === 'buyer' ? 'market.orders.received' : 'market.orders.delivered')}
            onSend={deliver}
            onCancel={() => setMode('idle')}
            disabled={busy}
          />
        </div>
      ) : null}
      {mode === 'cancel' ? (
        <div class="inline-form">
          <InlineInput
            label={t('market.orders.cancelLabel')}
            name="reason"
            idPrefix={id}
            value={reason}
            onValue={setReason}
            handle={fields}
            inputMode="text"
            maxLength={500}
          />
          <div class="actions">
            <button
              type="button"
              class="danger"
              disabled={busy || !reason.trim()}
              onClick={() => void act('cancel', { reason: reason.trim() })}
            >
              {t('market.orders.cancel')}
            </button>
            <button type="button" class="secondary" onClick={() => setMode('idle')}>
              {t('market.orders.keep')}
            </button>
          </div>
        </div>
      ) : null}
      {mode === 'dispute' ? (
        <div class="inline-form">
          <InlineInput
            label={t('market.orders.disputeLabel')}
            name="note"
            idPrefix={id}
            value={note}
            onValue={setNote}
            handle={fields}
            control="textarea"
            maxLength={2000}
          />
          <SendOrCancel
            label={t('market.orders.dispute')}
            onSend={() => void act('dispute', { note: note.trim() })}
            onCancel={() => setMode('idle')}
            disabled={busy || !note.trim()}
            kind="danger"
          />
        </div>
      ) : null}
      <ProblemLine text={problem} />
    </li>
  );
}
