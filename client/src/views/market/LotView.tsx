import { useEffect, useState } from 'preact/hooks';
import { clockReading, priceInputValue, priceUnitFor, shortTime } from '../../state/market-format';
import { readPriceWithin, readWeightWithin, weightRangeText } from '../../state/unit-limits';
import { marketHref } from '../../state/market-routes';
import type { Lot } from '../../state/market-types';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { Alert } from '../components/Alert';
import { useMarket } from './context';
import { failureText, productLabel, UnitPicker, useUnits } from './bits';
import { BID_FORM_PATHS, fieldWords, placeFieldErrors, withoutField } from '../../state/field-errors';
import { LotCard } from './LotCard';
import { OfferRow } from './OfferRow';
import { ClockSetup } from './ClockSetup';
import { LotManage } from './LotManage';

/** One lot: its details, the clock sale if running, and (for a restaurant) the bid form. */
export function LotView({ id }: { id: string }) {
  const { t, locale, session } = useApp();
  const { market } = useMarket();
  const { offers, now, role, organisationId } = useStore(market);
  const { me } = useStore(session);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    void market.fetchLot(id).then((r) => setMissing(!r.ok));
  }, [id, market]);
  const lot = market.lot(id);
  if (!lot) {
    return (
      <Page title={t('market.lot.title')}>
        {missing ? <Alert kind="error">{t('market.lot.missing')}</Alert> : <p>{t('app.loading')}</p>}
        <a href={marketHref({ name: 'board' })}>{t('market.lot.back')}</a>
      </Page>
    );
  }
  const mine = lot.sellerOrgId === organisationId;
  const lotOffers = offers.filter((o) => o.lotId === lot.id);
  const canBuy = role === 'restaurant' && me?.organisation.verification === 'verified' && lot.status === 'open';
  return (
    <Page title={productLabel(lot, locale)}>
      <a href={marketHref({ name: 'board' })}>{t('market.lot.back')}</a>
      <UnitPicker />
      <LotCard lot={lot} now={now} link={false} />
      <LotPhotos lot={lot} />
      <LotFacts lot={lot} />
      {mine ? <LotManage lot={lot} /> : null}
      {lot.clock && lot.status === 'open' ? <ClockPanel lot={lot} canTake={Boolean(canBuy)} /> : null}
      {canBuy ? <BidForm lot={lot} /> : null}
      {role === 'restaurant' && me?.organisation.verification !== 'verified' ? (
        <Alert kind="notice">{t('market.code.VERIFICATION_PENDING')}</Alert>
      ) : null}
      {mine && lot.status === 'open' && !lot.clock ? <ClockSetup lot={lot} /> : null}
      {lotOffers.length ? (
        <section class="card">
          <h2>{mine ? t('market.lot.incoming') : t('market.lot.myOffers')}</h2>
          <ul class="offers">
            {lotOffers.map((o) => (
              <OfferRow key={o.id} offer={o} side={mine ? 'seller' : 'buyer'} />
            ))}
          </ul>
        </section>
      ) : null}
    </Page>
  );
}

/** The lot's photos, full size (shrunk to ≤ 1600 px when uploaded); each opens on its own when tapped. */
function LotPhotos({ lot }: { lot: Lot }) {
  const { t } = useApp();
  if (!lot.photos?.length) return null;
  return (
    <section class="lot-photos" aria-label={t('market.photos.title')}>
      {lot.photos.map((p) => (
        <a key={p.id} href={p.url} target="_blank" rel="noopener">
          <img src={p.url} alt={t('market.photos.alt')} loading="lazy" />
        </a>
      ))}
    </section>
  );
}

function LotFacts({ lot }: { lot: Lot }) {
  const { t } = useApp();
  const { weight, price } = useUnits();
  return (
    <dl class="details card">
      <dt>{t('market.lot.harvested')}</dt>
      <dd>{shortTime(lot.harvestedAt)}</dd>
      <dt>{t('market.lot.expires')}</dt>
      <dd>{shortTime(lot.expiresAt)}</dd>
      <dt>{t('market.lot.ask')}</dt>
      <dd>{price(lot.askPriceFenPerKg)}</dd>
      <dt>{t('market.lot.sold')}</dt>
      <dd>{weight(lot.soldGrams)}</dd>
      {lot.minTakeGrams ? (
        <>
          <dt>{t('market.lot.minTake')}</dt>
          <dd class="min-take">{weight(lot.minTakeGrams)}</dd>
        </>
      ) : null}
      {lot.grade ? (
        <>
          <dt>{t('market.lot.grade')}</dt>
          <dd>{lot.grade}</dd>
        </>
      ) : null}
      {lot.pickup ? (
        <>
          <dt>{t('market.lot.pickup')}</dt>
          <dd>
            {lot.pickup.name} · {lot.pickup.address}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** The falling price, computed here each second from the clock's parameters; server updates confirm it. */
function ClockPanel({ lot, canTake }: { lot: Lot; canTake: boolean }) {
  const { t, say, locale } = useApp();
  const { market, prefs } = useMarket();
  const { now } = useStore(market);
  const { unit } = useStore(prefs);
  const { weight, price } = useUnits();
  const [quantity, setQuantity] = useState('');
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (!lot.clock) return null;
  const reading = clockReading(lot.clock, lot.id, now);
  // At least the clock's minimum take, at most what is left: in the person's unit.
  const limits = { min: lot.clock.minTakeGrams, max: lot.remainingGrams };
  const take = async () => {
    const q = readWeightWithin(quantity, unit, limits);
    if (!q.ok) return setResult({ kind: 'error', text: say(q.problem) });
    if (reading.priceFenPerKg === null) return;
    setBusy(true);
    const r = await market.take(lot.id, q.grams, reading.priceFenPerKg);
    setBusy(false);
    setResult(
      r.ok
        ? {
            kind: 'ok',
            text: t('market.clock.taken', {
              w: weight(r.data.order.quantityGrams),
              p: price(r.data.order.priceFenPerKg),
            }),
          }
        : { kind: 'error', text: failureText(t, r.error) },
    );
  };
  return (
    <section class="card clock-panel" aria-labelledby="clock-h">
      <h2 id="clock-h">{t('market.clock.title')}</h2>
      {reading.priceFenPerKg !== null ? (
        <p class="clock-price" aria-live="off">
          {price(reading.priceFenPerKg)}
        </p>
      ) : null}
      <p class="muted small">
        {t(`market.clock.phase.${reading.phase}`)} ·{' '}
        {t('market.clock.range', {
          from: price(lot.clock.startPriceFenPerKg),
          to: price(lot.clock.floorPriceFenPerKg),
          at: shortTime(lot.clock.floorAt),
        })}
      </p>
      {canTake && reading.priceFenPerKg !== null ? (
        <div class="inline-form">
          <label>
            {t('market.clock.quantity', { unit: t(`market.unit.${unit}`), min: weight(lot.clock.minTakeGrams) })}
            <input inputMode="decimal" value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} />
            <span class="muted small field-hint">
              {t('market.limits.range', { range: weightRangeText(limits, unit, locale) })}
            </span>
          </label>
          <button type="button" class="block big-button" disabled={busy} onClick={() => void take()}>
            {t('market.clock.take', { p: price(reading.priceFenPerKg) })}
          </button>
        </div>
      ) : null}
      {result ? <Alert kind={result.kind}>{result.text}</Alert> : null}
    </section>
  );
}

const VALIDITY_HOURS = [2, 6, 24] as const;

function BidForm({ lot }: { lot: Lot }) {
  const { t, say, locale } = useApp();
  const { market, prefs } = useMarket();
  const { unit } = useStore(prefs);
  const per = priceUnitFor(unit);
  const [quantity, setQuantity] = useState('');
  // During a clock sale the clock's price is the going rate: offering the old asking price would overpay.
  const reading = lot.clock ? clockReading(lot.clock, lot.id, market.state.now) : null;
  const going = reading?.priceFenPerKg ?? lot.askPriceFenPerKg;
  const [priceInput, setPriceInput] = useState(() => priceInputValue(going, per));
  const [valid, setValid] = useState<string>('6');
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Problems at each input (ours or the server's), cleared as the person edits that input.
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const edited = (name: string) => setFieldErrors((errors) => withoutField(errors, [name]));
  useEffect(() => setPriceInput(priceInputValue(going, per)), [per, lot.askPriceFenPerKg]);
  // A bid takes at least the lot's minimum and at most what is left, said in the person's unit.
  const bidLimits = { ...(lot.minTakeGrams ? { min: lot.minTakeGrams } : {}), max: lot.remainingGrams };
  const submit = async (e: Event) => {
    e.preventDefault();
    const q = readWeightWithin(quantity, unit, bidLimits);
    const p = readPriceWithin(priceInput, per);
    if (!q.ok || !p.ok) {
      setFieldErrors({ ...(q.ok ? {} : { quantity: say(q.problem) }), ...(p.ok ? {} : { price: say(p.problem) }) });
      return setResult({ kind: 'error', text: t('common.fixFields') });
    }
    setFieldErrors({});
    const until = valid === 'expiry' ? undefined : new Date(market.state.now + Number(valid) * 3_600_000);
    setBusy(true);
    const r = await market.bid(lot.id, {
      quantityGrams: q.grams,
      priceFenPerKg: p.fenPerKg,
      ...(until ? { validUntil: until.toISOString() } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      const placed = placeFieldErrors(r.error, BID_FORM_PATHS, fieldWords(r.error, say, unit));
      setFieldErrors(placed.fields);
      const also = placed.unplaced.length ? ` ${t('market.error.otherFields', { m: placed.unplaced.join('; ') })}` : '';
      return setResult({ kind: 'error', text: failureText(t, r.error) + also });
    }
    setResult({ kind: 'ok', text: t('market.bid.sent') });
    setQuantity('');
  };
  const fieldError = (name: string) =>
    fieldErrors[name] ? (
      <span class="error" id={`bid-${name}-error`}>
        {fieldErrors[name]}
      </span>
    ) : null;
  const invalid = (name: string) =>
    fieldErrors[name] ? { 'aria-invalid': true, 'aria-describedby': `bid-${name}-error` } : {};
  return (
    <form class="card bid-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('market.bid.title')}</h2>
      <div class="grid2">
        <div class="field">
          <label for="bid-quantity">{t('market.bid.quantity', { unit: t(`market.unit.${unit}`) })}</label>
          <input
            id="bid-quantity"
            inputMode="decimal"
            value={quantity}
            onInput={(e) => {
              setQuantity(e.currentTarget.value);
              edited('quantity');
            }}
            {...invalid('quantity')}
          />
          <span class="muted small field-hint">
            {t('market.limits.range', { range: weightRangeText(bidLimits, unit, locale) })}
          </span>
          {fieldError('quantity')}
        </div>
        <div class="field">
          <label for="bid-price">{t('market.bid.price', { per: t(`market.priceUnit.${per}`) })}</label>
          <input
            id="bid-price"
            inputMode="decimal"
            value={priceInput}
            onInput={(e) => {
              setPriceInput(e.currentTarget.value);
              edited('price');
            }}
            {...invalid('price')}
          />
          {fieldError('price')}
        </div>
      </div>
      <div class="field">
        <label for="bid-valid">{t('market.bid.validFor')}</label>
        <select
          id="bid-valid"
          value={valid}
          onChange={(e) => {
            setValid(e.currentTarget.value);
            edited('valid');
          }}
          {...invalid('valid')}
        >
          {VALIDITY_HOURS.map((h) => (
            <option key={h} value={String(h)}>
              {t('market.bid.hours', { h })}
            </option>
          ))}
          <option value="expiry">{t('market.bid.untilExpiry')}</option>
        </select>
        {fieldError('valid')}
      </div>
      {result ? <Alert kind={result.kind}>{result.text}</Alert> : null}
      <button type="submit" class="block big-button" disabled={busy}>
        {busy ? t('common.working') : t('market.bid.submit')}
      </button>
    </form>
  );
}
