/** Small pieces every market page uses: names, countdowns, units, error text. */
import type { MessageKey, Translate } from '../../i18n';
import type { ApiFailure } from '../../state/api-result';
import {
  DISPLAY_UNITS,
  hoursLeftAt,
  lotUrgency,
  priceText,
  shortTime,
  weightText,
  type DisplayUnit,
} from '../../state/market-format';
import type { Lot } from '../../state/market-types';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { useMarket } from './context';

const CODE_KEYS: Partial<Record<string, MessageKey>> = {
  NETWORK: 'common.networkError',
  VALIDATION: 'common.fixFields',
  VERIFICATION_PENDING: 'market.code.VERIFICATION_PENDING',
  FORBIDDEN: 'market.code.FORBIDDEN',
  OWN_LOT: 'market.code.OWN_LOT',
  PRICE_BELOW_RESERVE: 'market.code.PRICE_BELOW_RESERVE',
  QUANTITY_EXCEEDS_REMAINING: 'market.code.QUANTITY_EXCEEDS_REMAINING',
  NOT_ENOUGH_LEFT: 'market.code.NOT_ENOUGH_LEFT',
  OFFER_CLOSED: 'market.code.OFFER_CLOSED',
  OFFER_EXPIRED: 'market.code.OFFER_EXPIRED',
  ALREADY_ACCEPTED: 'market.code.OFFER_CLOSED',
  LOT_EXPIRED: 'market.code.LOT_EXPIRED',
  LOT_ALREADY_EXPIRED: 'market.code.LOT_EXPIRED',
  LOT_NOT_OPEN: 'market.code.LOT_NOT_OPEN',
  NOT_YOUR_TURN: 'market.code.NOT_YOUR_TURN',
  COUNTER_UNCHANGED: 'market.code.COUNTER_UNCHANGED',
  CLOCK_ENDED: 'market.code.CLOCK_ENDED',
  CLOCK_NOT_STARTED: 'market.code.CLOCK_NOT_STARTED',
  PRICE_ABOVE_LIMIT: 'market.code.PRICE_ABOVE_LIMIT',
  BELOW_MIN_TAKE: 'market.code.BELOW_MIN_TAKE',
  START_NOT_ABOVE_FLOOR: 'market.code.START_NOT_ABOVE_FLOOR',
  NO_TIME_TO_FALL: 'market.code.NO_TIME_TO_FALL',
  HARVESTED_IN_FUTURE: 'market.code.HARVESTED_IN_FUTURE',
  ASK_BELOW_RESERVE: 'market.error.askBelowReserve',
  WRONG_STATUS: 'market.code.WRONG_STATUS',
  DISPUTE_WINDOW_CLOSED: 'market.code.DISPUTE_WINDOW_CLOSED',
  CONCURRENT_UPDATE: 'market.code.CONCURRENT_UPDATE',
  RESERVATION_INTERRUPTED: 'market.code.CONCURRENT_UPDATE',
  BELOW_SOLD: 'market.code.BELOW_SOLD',
  NO_CLOCK: 'market.code.NO_CLOCK',
  TOO_MANY_PHOTOS: 'market.code.TOO_MANY_PHOTOS',
  PHOTO_TOO_LARGE: 'market.code.PHOTO_TOO_LARGE',
  PHOTO_TYPE: 'market.code.PHOTO_TYPE',
  // Made by the client offline (state/market-api.ts OFFLINE_CODES, docs/offline.md)
  OUTCOME_UNKNOWN: 'connection.outcomeUnknown',
  QUEUED_OFFLINE: 'connection.queued',
  OUTBOX_FULL: 'connection.outboxFull',
  OFFLINE_CONFIRM_AGAIN: 'connection.confirmOnline',
};

/** Server messages are English; people see our own words for every code we know. */
export function failureText(t: Translate, error: ApiFailure): string {
  const key = CODE_KEYS[error.code];
  return key ? t(key) : t('common.unknownError');
}

export function useUnits() {
  const { locale } = useApp();
  const { prefs } = useMarket();
  const { unit } = useStore(prefs);
  return {
    unit,
    weight: (grams: number) => weightText(grams, locale, unit),
    price: (fenPerKg: number) => priceText(fenPerKg, locale, unit),
  };
}

export function productLabel(lot: Pick<Lot, 'productNameZh' | 'productNameEn'>, locale: string): string {
  return locale === 'zh-CN' ? lot.productNameZh : lot.productNameEn;
}

/** "剩 3 天 5 小时" / "剩 40 分钟" / "已过期", coloured by urgency. */
export function Countdown({ lot, now }: { lot: Pick<Lot, 'productCode' | 'storage' | 'expiresAt'>; now: number }) {
  const { t } = useApp();
  const hours = hoursLeftAt(lot.expiresAt, now);
  const level = lotUrgency(lot, now);
  let text: string;
  if (hours <= 0) text = t('market.left.expired');
  else if (hours < 1) text = t('market.left.minutes', { m: Math.max(1, Math.floor(hours * 60)) });
  else if (hours < 48) text = t('market.left.hours', { h: Math.floor(hours) });
  else text = t('market.left.days', { d: Math.floor(hours / 24), h: Math.floor(hours % 24) });
  return (
    <span
      class={`urgency urgency-${level}`}
      data-urgency={level}
      title={t('market.expiresAt', { at: shortTime(lot.expiresAt) })}
    >
      {text}
    </span>
  );
}

export function UnitPicker() {
  const { t } = useApp();
  const { prefs } = useMarket();
  const { unit } = useStore(prefs);
  const label: Record<DisplayUnit, MessageKey> = { jin: 'market.unit.jin', kg: 'market.unit.kg', t: 'market.unit.t' };
  return (
    <div class="unit-picker" role="group" aria-label={t('market.unit.label')}>
      <span class="muted">{t('market.unit.label')}</span>
      {DISPLAY_UNITS.map((u) => (
        <button
          key={u}
          type="button"
          class={u === unit ? 'chip on' : 'chip'}
          aria-pressed={u === unit}
          onClick={() => prefs.setUnit(u)}
        >
          {t(label[u])}
        </button>
      ))}
    </div>
  );
}

export const storageKey = (s: 'cold' | 'ambient'): MessageKey =>
  s === 'cold' ? 'market.storage.cold' : 'market.storage.ambient';
