/**
 * What a farm can supply over the next days, and how much of it is not yet sold.
 * outlook = expected production − committed sales, per Shanghai calendar day and product.
 * A positive surplus is what the market should help sell (lots, clock sales, standing
 * orders' tolerance); a negative one is a shortfall the farm must cover or renegotiate.
 * No carry-over between days is modelled: for produce that keeps 1–4 days the honest
 * planning unit is "today's harvest, sold today or tomorrow", and carry-over belongs to lots.
 */
import { addDays, weekdayOf, type CalendarDate, type Weekday } from './calendar';

interface ProductionPlan {
  productCode: string;
  /** Expected harvest on a production day. */
  dailyGrams: number;
  /** Days it harvests; absent = every day. */
  weekdays?: Weekday[];
}

interface PickupPoint {
  name: string;
  address: string;
  lat?: number;
  lng?: number;
}

export interface FarmCapacity {
  orgId: string;
  production: ProductionPlan[];
  coldStorageGrams: number;
  /** What the farm's vehicles and staff can load out in one day, all products together. */
  dispatchGramsPerDay: number;
  pickup?: PickupPoint;
}

/** A sale already made (a confirmed order, a standing-order occurrence) due on `date`. */
export interface Commitment {
  date: CalendarDate;
  productCode: string;
  grams: number;
}

export interface OutlookLine {
  productCode: string;
  expectedGrams: number;
  committedGrams: number;
  /** expected − committed; negative = shortfall. */
  surplusGrams: number;
}

export interface OutlookDay {
  date: CalendarDate;
  weekday: Weekday;
  lines: OutlookLine[];
  totalSurplusGrams: number;
  totalCommittedGrams: number;
  /** Committed beyond the day's dispatch capacity (0 when it fits). */
  dispatchOverGrams: number;
  /** How much of the day's surplus the cold store could hold for tomorrow's sales. */
  storableSurplusGrams: number;
}

function expectedOn(plan: ProductionPlan, date: CalendarDate): number {
  return !plan.weekdays || plan.weekdays.includes(weekdayOf(date)) ? plan.dailyGrams : 0;
}

export function outlook(
  capacity: FarmCapacity,
  commitments: Commitment[],
  fromDate: CalendarDate,
  days = 7,
): OutlookDay[] {
  const result: OutlookDay[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(fromDate, i);
    const expected = new Map<string, number>();
    for (const plan of capacity.production) {
      expected.set(plan.productCode, (expected.get(plan.productCode) ?? 0) + expectedOn(plan, date));
    }
    const committed = new Map<string, number>();
    for (const c of commitments) {
      if (c.date === date) committed.set(c.productCode, (committed.get(c.productCode) ?? 0) + c.grams);
    }
    // A product with neither harvest nor sales that day is not worth a line.
    const codes = [...new Set([...expected.keys(), ...committed.keys()])]
      .filter((code) => (expected.get(code) ?? 0) > 0 || (committed.get(code) ?? 0) > 0)
      .sort();
    const lines = codes.map((productCode) => {
      const expectedGrams = expected.get(productCode) ?? 0;
      const committedGrams = committed.get(productCode) ?? 0;
      return { productCode, expectedGrams, committedGrams, surplusGrams: expectedGrams - committedGrams };
    });
    const totalCommittedGrams = lines.reduce((sum, l) => sum + l.committedGrams, 0);
    const totalSurplusGrams = lines.reduce((sum, l) => sum + Math.max(0, l.surplusGrams), 0);
    result.push({
      date,
      weekday: weekdayOf(date),
      lines,
      totalSurplusGrams,
      totalCommittedGrams,
      dispatchOverGrams: Math.max(0, totalCommittedGrams - capacity.dispatchGramsPerDay),
      storableSurplusGrams: Math.min(totalSurplusGrams, capacity.coldStorageGrams),
    });
  }
  return result;
}

/** Surplus of one product over the outlook, day by day — what a farm should be posting. */
export function surplusOf(days: OutlookDay[], productCode: string): { date: CalendarDate; surplusGrams: number }[] {
  return days.map((d) => ({
    date: d.date,
    surplusGrams: d.lines.find((l) => l.productCode === productCode)?.surplusGrams ?? 0,
  }));
}
