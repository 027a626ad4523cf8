import { useEffect, useState } from 'preact/hooks';
import type { MessageKey } from '../../i18n';
import { priceInputValue, priceUnitFor, shortTime } from '../../state/market-format';
import { readPriceWithin, readWeightWithin, weightRangeText } from '../../state/unit-limits';
import type { Offer } from '../../state/market-types';
import { counterpartyName } from '../../state/market-names';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { useMarket } from './context';
import { useUnits } from './bits';
import { useCardAction } from './card-action';
import type { ApiFailure } from '../../state/api-result';
import { InlineInput, useFieldErrors } from '../components/use-field-errors';
import { OFFER_ROW_PATHS } from '../../state/field-errors';
import { ProblemLine, SendOrCancel } from '../components/InlineActions';

const REJECT_REASONS: MessageKey[] = [
  'market.reject.price',
  'market.reject.quantity',
  'market.reject.reserved',
  'market.reject.distance',
];

/**
 * One bid or counter with what this side may do now: accept (all or part), counter, reject with a
 * reason — or withdraw its own terms. `side` is the viewer's side of the deal.
 */
export function OfferRow({ offer, side }: { offer: Offer; side: 'buyer' | 'seller' }) {
  const { t, say, locale } = useApp();
  const { market, prefs } = useMarket();
  const { unit } = useStore(prefs);
  const { weight, price } = useUnits();
  const [mode, setMode] = useState<'idle' | 'part' | 'counter' | 'reject'>('idle');
  const [quantity, setQuantity] = useState('');
  const [priceInput, setPriceInput] = useState('');
  const [reason, setReason] = useState<MessageKey>(REJECT_REASONS[0]);
  /** The offers as they were when an action's outcome became unknown (docs/offline.md). */
  const [unknownSince, setUnknownSince] = useState<readonly Offer[] | null>(null);
  const { offers } = useStore(market);
  const id = `offer-${offer.id}`;
  const server = useFieldErrors(OFFER_ROW_PATHS, id, unit);
  const { busy, problem, setProblem, refuse, run: send } = useCardAction(server);
  // Once the offers are read again (the reconnect reloads them), the pending line at the top of the page
  // says what became of the action: "result pending — do not repeat" here would contradict it.
  useEffect(() => {
    if (unknownSince && offers !== unknownSince) {
      setUnknownSince(null);
      setProblem(null);
    }
  }, [offers, unknownSince]);
  const live = offer.status === 'open' || offer.status === 'countered';
  const myTurn = live && offer.turn === side;
  const theirTurn = live && offer.turn !== side;
  const them = counterpartyName(offer, side);
  // Part of the offer: more than nothing, at most what it offers (shown in the person's unit).
  const partLimits = { max: offer.quantityGrams };

  const run = async (action: () => Promise<{ ok: true } | { ok: false; error: ApiFailure }>) => {
    let outcomeUnknown = false;
    const done = await send(async () => {
      const r = await action();
      outcomeUnknown = !r.ok && r.error.code === 'OUTCOME_UNKNOWN';
      return r;
    });
    if (done) setMode('idle');
    if (outcomeUnknown) setUnknownSince(market.state.offers);
  };

  const acceptPart = () => {
    const q = readWeightWithin(quantity, unit, partLimits);
    if (!q.ok) return refuse({ quantity: say(q.problem) });
    void run(() => market.accept(offer, q.grams));
  };
  const counter = () => {
    const p = readPriceWithin(priceInput, priceUnitFor(unit));
    const q = quantity.trim() ? readWeightWithin(quantity, unit) : null;
    const local: Record<string, string> = {};
    if (!p.ok) local.price = say(p.problem);
    if (q && !q.ok) local.quantity = say(q.problem);
    if (!p.ok || (q && !q.ok)) return refuse(local);
    void run(() =>
      market.counter(offer.id, { priceFenPerKg: p.fenPerKg, ...(q?.ok ? { quantityGrams: q.grams } : {}) }),
    );
  };

  return (
    <li class={`offer offer-${offer.status}`} data-offer={offer.id}>
      <div class="offer-terms">
        <strong>{weight(offer.quantityGrams)}</strong> × <strong>{price(offer.priceFenPerKg)}</strong>
        <span class="badge">{t(`market.offerStatus.${offer.status}`)}</span>
        {them ? <span class="muted small party">{them}</span> : null}
        <span class="muted small">
          {offer.status === 'countered'
            ? t(offer.turn === side ? 'market.offer.theyCountered' : 'market.offer.youCountered')
            : offer.kind === 'bid'
              ? t('market.offer.bid')
              : t('market.offer.sellOffer')}{' '}
          · {t('market.offer.validUntil', { at: shortTime(offer.validUntil) })}
        </span>
        {offer.closedReason && offer.status === 'rejected' ? (
          <span class="muted small">{t('market.offer.reason', { r: offer.closedReason })}</span>
        ) : null}
        {theirTurn ? <span class="muted small">{t('market.offer.waiting')}</span> : null}
      </div>
      {myTurn && mode === 'idle' ? (
        <div class="actions">
          <button type="button" disabled={busy} onClick={() => void run(() => market.accept(offer))}>
            {t('market.offer.acceptAll')}
          </button>
          <button type="button" class="secondary" onClick={() => setMode('part')}>
            {t('market.offer.acceptPart')}
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setPriceInput(priceInputValue(offer.priceFenPerKg, priceUnitFor(unit)));
              setMode('counter');
            }}
          >
            {t('market.offer.counter')}
          </button>
          <button type="button" class="danger" onClick={() => setMode('reject')}>
            {t('market.offer.reject')}
          </button>
        </div>
      ) : null}
      {mode === 'part' ? (
        <div class="inline-form">
          <InlineInput
            label={t('market.offer.partQuantity', { unit: t(`market.unit.${unit}`) })}
            name="quantity"
            idPrefix={id}
            value={quantity}
            onValue={setQuantity}
            handle={server}
            hint={t('market.limits.range', { range: weightRangeText(partLimits, unit, locale) })}
          />
          <SendOrCancel
            label={t('market.offer.acceptPart')}
            onSend={acceptPart}
            onCancel={() => setMode('idle')}
            disabled={busy}
          />
        </div>
      ) : null}
      {mode === 'counter' ? (
        <div class="inline-form">
          <InlineInput
            label={t('market.offer.counterPrice', { per: t(`market.priceUnit.${priceUnitFor(unit)}`) })}
            name="price"
            idPrefix={id}
            value={priceInput}
            onValue={setPriceInput}
            handle={server}
          />
          <InlineInput
            label={t('market.offer.counterQuantity', { unit: t(`market.unit.${unit}`) })}
            name="quantity"
            idPrefix={id}
            value={quantity}
            onValue={setQuantity}
            handle={server}
          />
          <SendOrCancel
            label={t('market.offer.sendCounter')}
            onSend={counter}
            onCancel={() => setMode('idle')}
            disabled={busy}
          />
        </div>
      ) : null}
      {mode === 'reject' ? (
        <div class="inline-form">
          <label>
            {t('market.offer.rejectReason')}
            <select value={reason} onChange={(e) => setReason(e.currentTarget.value as MessageKey)}>
              {REJECT_REASONS.map((k) => (
                <option key={k} value={k}>
                  {t(k)}
                </option>
              ))}
            </select>
          </label>
          <SendOrCancel
            label={t('market.offer.reject')}
            onSend={() => void run(() => market.reject(offer.id, t(reason)))}
            onCancel={() => setMode('idle')}
            disabled={busy}
            kind="danger"
          />
        </div>
      ) : null}
      {theirTurn && mode === 'idle' ? (
        <div class="actions">
          <button
            type="button"
            class="link-button"
            disabled={busy}
            onClick={() => void run(() => market.withdrawOffer(offer.id))}
          >
            {t('market.offer.withdraw')}
          </button>
        </div>
      ) : null}
      <ProblemLine text={problem} />
    </li>
  );
}
