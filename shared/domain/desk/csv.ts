/**
 * CSV the way Excel and WPS in a Chinese office open it correctly: UTF-8 with a BOM (else
 * 农场 becomes mojibake), CRLF line ends and RFC 4180 quoting. Money and weight are
 * formatted from integers with integer arithmetic — no float ever touches a figure.
 */
import { findProduct } from '../catalogue';
import { SHANGHAI_OFFSET_MS } from '../calendar';
import type { LedgerEntry } from './ledger';

const UTF8_BOM = '\uFEFF';
const CRLF = '\r\n';

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A user-typed cell that starts with = + - @ (or a tab/CR) is a formula to a spreadsheet;
 * a leading apostrophe makes it text (OWASP "CSV injection"). Only for free text, never numbers.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return UTF8_BOM + [header, ...rows].map((r) => r.map(csvField).join(',')).join(CRLF) + CRLF;
}

/** 1234567 fen → "12345.67" (no grouping: the cell stays a number in a spreadsheet). */
export function fenToYuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 1234567 g → "1234.567"; whole kilograms keep three decimals too, for an even column. */
export function gramsToKgText(grams: number): string {
  const sign = grams < 0 ? '-' : '';
  const abs = Math.abs(grams);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

/** "2026-11-26 14:05" in Shanghai time, whatever the host's zone. */
export function shanghaiDateTimeText(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

export const LEDGER_CSV_HEADER = [
  '日期',
  '经办人',
  '农场',
  '乡镇',
  '村',
  '买方',
  '品种',
  '数量(公斤)',
  '金额(元)',
  '项目',
  '临期',
  '订单号',
  '数量(克)',
  '金额(分)',
] as const;

/** Void entries are left out: the export is what the chamber reports. */
export function ledgerCsv(entries: readonly LedgerEntry[]): string {
  const text = (s: string | undefined) => neutraliseFormula(s ?? '');
  const rows = entries
    .filter((e) => !e.voidedAt)
    .map((e) => [
      shanghaiDateTimeText(e.createdAt),
      text(e.broker.name),
      text(e.farm.name),
      text(e.farm.township),
      text(e.farm.village),
      text(e.buyer.name),
      findProduct(e.productCode)?.nameZh ?? text(e.productCode),
      gramsToKgText(e.quantityGrams),
      fenToYuanText(e.valueFen),
      text(e.programme),
      e.atRisk ? '是' : '否',
      text(e.orderId),
      String(e.quantityGrams),
      String(e.valueFen),
    ]);
  return toCsv(LEDGER_CSV_HEADER, rows);
}
