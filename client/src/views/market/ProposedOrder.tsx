/**
 * A standing order's proposed order on the farm's orders page: 确认 fills it from one of the farm's open lots
 * of the product (base quantity by default, up to the tolerance), 婉拒 turns it down with a reason. The
 * server's field problems show at their fields.
 */
import { useState } from 'preact/hooks';
import type { Order } from '../../state/market-types';
import { gramsInputValue, moneyText, readGrams, shortTime } from '../../state/market-format';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { useMarket } from './context';
import { useUnits } from './bits';
import { InlineInput, useFieldErrors } from '../components/use-field-errors';
import { PROPOSAL_PATHS } from '../../state/field-errors';
import { ProblemLine, SendOrCancel } from '../components/InlineActions';
import { useCardAction } from './card-action';
import { OrderHead } from './OrderHead';

export function ProposedOrderCard({ order }: { order: Order }) {
  const { t, locale } = useApp();
  const { market, prefs } = useMarket();
  useStore(market);
  const { unit } = useStore(prefs);
  const { weight, price } = useUnits();
  const lots = market.lotsForProposal(order);
  const base = order.standing?.baseGrams ?? order.quantityGrams;
  const extra = order.standing?.maxExtraGrams ?? 0;
  const [mode, setMode] = useState<'idle' | 'confirm' | 'decline'>('idle');
  const [lotId, setLotId] = useState('');
  const [quantity, setQuantity] = useState('');
  const [reason, setReason] = useState('');
  const idPrefix = `proposal-${order.id}`;
  const fields = useFieldErrors(PROPOSAL_PATHS, idPrefix, unit);
  const { busy, problem, setProblem, refuse, run } = useCardAction(fields);

  const open = (next: typeof mode) => {
    fields.clear();
    setProblem(null);
    if (next === 'confirm') {
      setLotId(lots[0]?.id ?? '');
      setQuantity(gramsInputValue(base, unit));
    }
    setMode(next);
  };
  const send = async (
    action: 'confirm-proposal' | 'decline',
    body: { lotId: string; quantityGrams: number } | { reason: string },
  ) => {
    if (await run(() => market.orderAction(order.id, action, body))) setMode('idle');
  };
  const confirm = () => {
    const q = readGrams(quantity, unit);
    const local: Record<string, string> = {};
    if (!lotId) local.lotId = t('market.proposal.pickLot');
    if (!q.ok) local.quantityGrams = t(q.error);
    else if (q.grams < base || q.grams > base + extra)
      local.quantityGrams = t('market.proposal.outOfRange', { min: weight(base), max: weight(base + extra) });
    if (!q.ok || Object.keys(local).length > 0) return refuse(local);
    void send('confirm-proposal', { lotId, quantityGrams: q.grams });
  };

  return (
    <li class="card order proposed" data-order={order.id} data-status={order.status}>
      <OrderHead order={order} />
      <p>
        <strong>{weight(base)}</strong> × {price(order.priceFenPerKg)} ={' '}
        <strong>{t('market.orders.total', { v: moneyText(order.totalFen, locale) })}</strong>
      </p>
      <p class="muted small">
        {order.buyerName ? <span class="party">{order.buyerName} · </span> : null}
        {order.slot ? t('market.proposal.due', { at: shortTime(order.slot.to) }) : null}
        {extra > 0 ? ` · ${t('market.proposal.extra', { w: weight(extra) })}` : ''}
      </p>
      {mode === 'idle' ? (
        <div class="actions">
          <button type="button" disabled={busy} onClick={() => open('confirm')}>
            {t('market.proposal.confirm')}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => open('decline')}>
            {t('market.proposal.decline')}
          </button>
        </div>
      ) : null}
      {mode === 'confirm' ? (
        <div class="inline-form">
          {lots.length === 0 ? <p class="muted small">{t('market.proposal.noLots')}</p> : null}
          <InlineInput
            label={t('market.proposal.lot')}
            name="lotId"
            idPrefix={idPrefix}
            value={lotId}
            onValue={setLotId}
            handle={fields}
            control="select"
          >
            <option value="">{t('market.proposal.pickLot')}</option>
            {lots.map((l) => (
              <option key={l.id} value={l.id}>
                {t('market.proposal.lotOption', { w: weight(l.remainingGrams), at: shortTime(l.expiresAt) })}
              </option>
            ))}
          </InlineInput>
          <InlineInput
            label={t('market.proposal.quantity', { unit: t(`market.unit.${unit}`) })}
            name="quantityGrams"
            idPrefix={idPrefix}
            value={quantity}
            onValue={setQuantity}
            handle={fields}
          />
          <SendOrCancel
            label={t('market.proposal.confirm')}
            onSend={confirm}
            onCancel={() => setMode('idle')}
            disabled={busy}
          />
        </div>
      ) : null}
      {mode === 'decline' ? (
        <div class="inline-form">
          <InlineInput
            label={t('market.proposal.reason')}
            name="reason"
            idPrefix={idPrefix}
            value={reason}
            onValue={setReason}
            handle={fields}
            inputMode="text"
            maxLength={500}
          />
          <SendOrCancel
            label={t('market.proposal.decline')}
            onSend={() => void send('decline', { reason: reason.trim() })}
            onCancel={() => setMode('idle')}
            disabled={busy || !reason.trim()}
            kind="danger"
          />
        </div>
      ) : null}
      <ProblemLine text={problem} />
    </li>
  );
}
