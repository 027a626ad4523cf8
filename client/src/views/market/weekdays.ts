import type { MessageKey } from '../../i18n';

const WEEKDAYS: MessageKey[] = [
  'market.weekday.1',
  'market.weekday.2',
  'market.weekday.3',
  'market.weekday.4',
  'market.weekday.5',
  'market.weekday.6',
  'market.weekday.7',
];

/** The message key of an ISO weekday (1 = Monday … 7 = Sunday). */
export const weekdayKey = (d: number): MessageKey => WEEKDAYS[(d - 1) % 7];
