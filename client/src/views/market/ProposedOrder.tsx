/**
 * A standing order's proposed order on the farm's orders page: 确认 fills it from one of the farm's open lots
 * of the product (base quantity by default, up to the tolerance), 婉拒 turns it down with a reason. The
 * server's field problems show at their fields.
 */
import { useState } from 'preact/hooks';
import type { Order } from '../../state/market-types';
import { gramsInputValue, moneyText, readGrams, shortTime } from '../../state/market-format';
import { findProduct, productName } from '../../../../shared/domain/catalogue';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { useMarket } from './context';
import { failureText, useUnits } from './bits';
import { useFieldErrors } from '../components/use-field-errors';
import { PROPOSAL_PATHS } from '../../state/field-errors';
import { ProblemLine, SendOrCancel } from '../components/InlineActions';

type Problems = Partial<Record<'lotId' | 'quantityGrams' | 'reason', string>>;

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
  const [problems, setProblems] = useState<Problems>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const product = findProduct(order.productCode);
  const id = (field: string) => `proposal-${field}-${order.id}`;
  const server = useFieldErrors(PROPOSAL_PATHS, `proposal-${order.id}`, unit);

  const open = (next: typeof mode) => {
    setProblems({});
    server.clear();
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
    setBusy(true);
    setProblem(null);
    server.clear();
    const r = await market.orderAction(order.id, action, body);
    setBusy(false);
    if (r.ok) return setMode('idle');
    const unplaced = server.show(r.error);
    setProblem([failureText(t, r.error), ...unplaced].join(' '));
  };
  const confirm = () => {
    const q = readGrams(quantity, unit);
    const local: Problems = {};
    if (!lotId) local.lotId = t('market.proposal.pickLot');
    if (!q.ok) local.quantityGrams = t(q.error);
    else if (q.grams < base || q.grams > base + extra)
      local.quantityGrams = t('market.proposal.outOfRange', { min: weight(base), max: weight(base + extra) });
    setProblems(local);
    if (!q.ok || Object.keys(local).length > 0) return;
    void send('confirm-proposal', { lotId, quantityGrams: q.grams });
  };
  // Ours before sending, else the server's (in the person's words), gone as the person edits the field.
  const shown = (field: keyof Problems) => problems[field] ?? server.errors[field];
  const fieldError = (field: keyof Problems) =>
    shown(field) !== undefined ? (
      <span class="error" id={id(`${field}-error`)}>
        {shown(field) || t('market.proposal.fieldWrong')}
      </span>
    ) : null;
  const invalid = (field: keyof Problems) =>
    shown(field) !== undefined ? { 'aria-invalid': true, 'aria-describedby': id(`${field}-error`) } : {};
  const edited = (field: keyof Problems) => {
    server.edited(field);
    if (problems[field] !== undefined) setProblems({ ...problems, [field]: undefined });
  };

  return (
    <li class="card order proposed" data-order={order.id} data-status={order.status}>
      <header class="lot-head">
        <h3>{product ? productName(product, locale) : order.productCode}</h3>
        <p>
          {order.number ? <strong>{order.number} </strong> : null}
          <a href={`#/market/order/${order.id}`}>{t('market.note.open')}</a>
        </p>
        <span class={`badge order-${order.status}`}>{t(`market.orderStatus.${order.status}`)}</span>
      </header>
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
          <div class="field">
            <label for={id('lotId')}>{t('market.proposal.lot')}</label>
            <select
              id={id('lotId')}
              value={lotId}
              onChange={(e) => {
                setLotId(e.currentTarget.value);
                edited('lotId');
              }}
              {...invalid('lotId')}
            >
              <option value="">{t('market.proposal.pickLot')}</option>
              {lots.map((l) => (
                <option key={l.id} value={l.id}>
                  {t('market.proposal.lotOption', { w: weight(l.remainingGrams), at: shortTime(l.expiresAt) })}
                </option>
              ))}
            </select>
            {fieldError('lotId')}
          </div>
          <div class="field">
            <label for={id('quantityGrams')}>{t('market.proposal.quantity', { unit: t(`market.unit.${unit}`) })}</label>
            <input
              id={id('quantityGrams')}
              inputMode="decimal"
              value={quantity}
              onInput={(e) => {
                setQuantity(e.currentTarget.value);
                edited('quantityGrams');
              }}
              {...invalid('quantityGrams')}
            />
            {fieldError('quantityGrams')}
          </div>
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
          <div class="field">
            <label for={id('reason')}>{t('market.proposal.reason')}</label>
            <input
              id={id('reason')}
              value={reason}
              maxLength={500}
              onInput={(e) => {
                setReason(e.currentTarget.value);
                edited('reason');
              }}
              {...invalid('reason')}
            />
            {fieldError('reason')}
          </div>
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
