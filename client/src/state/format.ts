/**
 * Times and money are always shown the Chinese way (2026/11/27 09:30, ¥1,234.50), in China
 * Standard Time, whatever the interface language or the device's zone: a farmer and a broker
 * talking on the phone must read the same numbers.
 */
export const APP_TIME_ZONE = 'Asia/Shanghai';
const FORMAT_LOCALE = 'zh-CN';

const dateTime = new Intl.DateTimeFormat(FORMAT_LOCALE, {
  timeZone: APP_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function formatDateTime(value: string | number | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : dateTime.format(date);
}
