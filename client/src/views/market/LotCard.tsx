import { clockReading, shortTime } from '../../state/market-format';
import { marketHref } from '../../state/market-routes';
import type { Lot } from '../../state/market-types';
import { useApp } from '../context';
import { Countdown, productLabel, storageKey, useUnits } from './bits';

/** One lot on the board or in "my lots": what, how much, for how much, and how long it keeps. */
export function LotCard({ lot, now, link = true }: { lot: Lot; now: number; link?: boolean }) {
  const { t, locale } = useApp();
  const { weight, price } = useUnits();
  const reading = lot.clock && lot.status === 'open' ? clockReading(lot.clock, lot.id, now) : null;
  const name = productLabel(lot, locale);
  return (
    <article class={`lot-card lot-${lot.status}${lot.photos?.length ? ' with-thumb' : ''}`} data-lot={lot.id}>
      {lot.photos?.length ? (
        <img class="lot-thumb" src={lot.photos[0].thumbUrl} alt="" width={72} height={72} loading="lazy" />
      ) : null}
      <header class="lot-head">
        <h3>{link ? <a href={marketHref({ name: 'lot', id: lot.id })}>{name}</a> : name}</h3>
        {lot.status === 'open' ? (
          <Countdown lot={lot} now={now} />
        ) : (
          <span class="badge">{t(`market.lotStatus.${lot.status}`)}</span>
        )}
      </header>
      <p class="lot-figures">
        <span class="big">{weight(lot.remainingGrams)}</span>
        {lot.remainingGrams !== lot.quantityGrams ? <span class="muted"> / {weight(lot.quantityGrams)}</span> : null}
        <span class="price">{reading?.priceFenPerKg ? price(reading.priceFenPerKg) : price(lot.askPriceFenPerKg)}</span>
      </p>
      <p class="lot-meta muted">
        {lot.sellerName ? <span class="party">{lot.sellerName} · </span> : null}
        {lot.region ? <span class="region">{lot.region} · </span> : null}
        {t(storageKey(lot.storage))} · {t('market.expiresAt', { at: shortTime(lot.expiresAt) })}
        {lot.pickup ? ` · ${lot.pickup.name}` : ''}
        {lot.distanceKm !== undefined ? (
          <span class="distance">
            {' · '}
            {t('market.board.distance', {
              km: lot.distanceKm.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
            })}
          </span>
        ) : null}
        {lot.spoiledGrams ? ` · ${t('market.spoiled', { w: weight(lot.spoiledGrams) })}` : ''}
      </p>
      {reading && (reading.phase === 'falling' || reading.phase === 'at_floor') ? (
        <p class="clock-badge">{t('market.clock.badge')}</p>
      ) : null}
    </article>
  );
}
