/**
 * The assistance ledger (帮扶台账) page's state: a period and a Shanghai date range, the report
 * (KPIs, per-period rows, entries) and sell-through per farm. DOM-free.
 */
import { addDays, daysBetween, isCalendarDate, shanghaiDate } from '../../../shared/domain/calendar';
import type { ApiFailure } from './api-result';
import type { DeskApi } from './desk-api';
import { ledgerCsvHref } from './desk-api';
import type { LedgerReport, Period, SellThroughReport } from './desk-types';
import { Store } from './store';

/** The API's limit on one range (docs/desk.md). */
const MAX_RANGE_DAYS = 732;

/** A sensible range for each period: enough columns to see a trend, never past today. */
export function defaultRange(period: Period, today: string): { from: string; to: string } {
  const back: Record<Period, number> = { day: 29, week: 7 * 12 - 1, month: 364, quarter: 729, year: 729 };
  return { from: addDays(today, -back[period]), to: today };
}

export type RangeCheck = { ok: true } | { ok: false; reason: 'DATE' | 'ORDER' | 'TOO_LONG' };
export function checkRange(from: string, to: string): RangeCheck {
  if (!isCalendarDate(from) || !isCalendarDate(to)) return { ok: false, reason: 'DATE' };
  if (from > to) return { ok: false, reason: 'ORDER' };
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) return { ok: false, reason: 'TOO_LONG' };
  return { ok: true };
}

export interface LedgerState {
  period: Period;
  from: string;
  to: string;
  rangeError: RangeCheck | null;
  report: LedgerReport | null;
  sellThrough: SellThroughReport | null;
  loading: boolean;
  /** The next page of entries is being read. */
  loadingMore: boolean;
  error: ApiFailure | null;
}

export class DeskLedgerStore extends Store<LedgerState> {
  constructor(
    private readonly api: DeskApi,
    now: Date = new Date(),
  ) {
    const range = defaultRange('day', shanghaiDate(now));
    super({
      period: 'day',
      ...range,
      rangeError: null,
      report: null,
      sellThrough: null,
      loading: false,
      loadingMore: false,
      error: null,
    });
  }

  /** Choosing a period also picks its usual range (the broker may then narrow it). */
  setPeriod(period: Period, now: Date = new Date()): Promise<void> {
    this.setState({ period, ...defaultRange(period, shanghaiDate(now)), rangeError: null });
    return this.load();
  }

  setRange(from: string, to: string): Promise<void> {
    const check = checkRange(from, to);
    this.setState({ from, to, rangeError: check.ok ? null : check });
    return check.ok ? this.load() : Promise.resolve();
  }

  async load(): Promise<void> {
    const { from, to, period } = this.state;
    this.setState({ loading: true });
    // Sell-through by week unless the ledger is read by a coarser period.
    const stPeriod: Period = period === 'day' ? 'week' : period;
    const [report, st] = await Promise.all([
      this.api.ledger({ from, to, period }),
      this.api.sellThrough({ from, to, period: stPeriod }),
    ]);
    const failed = !report.ok ? report.error : !st.ok ? st.error : null;
    this.setState({
      loading: false,
      error: failed,
      ...(report.ok ? { report: report.data } : {}),
      ...(st.ok ? { sellThrough: st.data } : {}),
    });
  }

  /** Appends the next page of entries (newest first; the KPIs stay those of the first page). */
  async loadMoreEntries(): Promise<void> {
    const { report, from, to, period, loadingMore } = this.state;
    if (!report?.nextCursor || loadingMore) return;
    this.setState({ loadingMore: true });
    const r = await this.api.ledger({ from, to, period, cursor: report.nextCursor });
    // A range or period changed meanwhile: this page belongs to the old report.
    if (this.state.report !== report) return this.setState({ loadingMore: false });
    if (!r.ok) return this.setState({ loadingMore: false, error: r.error });
    const known = new Set(report.items.map((e) => e.id));
    this.setState({
      loadingMore: false,
      error: null,
      report: {
        ...report,
        items: [...report.items, ...r.data.items.filter((e) => !known.has(e.id))],
        nextCursor: r.data.nextCursor,
      },
    });
  }

  get csvHref(): string {
    return ledgerCsvHref({ from: this.state.from, to: this.state.to });
  }
}
