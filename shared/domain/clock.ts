/**
 * The clock sale (a Dutch auction) for lots near expiry: the price starts high and falls
 * in a straight line (or in steps) to the floor, reached `floorHoursBeforeExpiry` hours
 * before the lot expires. The first buyer to take gets the current price.
 *
 * "At the floor the clock stops": the price stops falling and holds at the floor; the
 * remaining stock can still be taken at the floor until the lot expires. The floor is at
 * least the lot's reserve, i.e. the farm's own minimum, so holding there only ever turns
 * would-be spoilage into sales the farm already agreed to. Prices are rounded UP to the
 * fen, so a take never pays less than the line (and never less than the floor).
 */
import { isPositiveInteger, type LotSnapshot } from './lots';
import { fail, type Failure } from './outcome';
import { totalFen } from './units';

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

export interface ClockSale {
  lotId: string;
  startPriceFenPerKg: number;
  floorPriceFenPerKg: number;
  startsAt: Date;
  /** When the price reaches the floor and the clock stops. */
  floorAt: Date;
  /** The lot's expiry: no takes from here on. */
  endsAt: Date;
  /** Discrete drops every N minutes; absent = continuous (re-priced to the fen). */
  stepMinutes?: number;
  /** Smallest take, so a 2 t lot is not picked apart gram by gram. */
  minTakeGrams: number;
}

export interface ClockSetup {
  startPriceFenPerKg: number;
  /** Defaults to the lot's reserve; may not be below it. */
  floorPriceFenPerKg?: number;
  floorHoursBeforeExpiry: number;
  stepMinutes?: number;
  startsAt?: Date;
  minTakeGrams?: number;
}

export type ClockSetupFailure = Failure<
  | 'INVALID_PRICE'
  | 'FLOOR_BELOW_RESERVE'
  | 'START_NOT_ABOVE_FLOOR'
  | 'NO_TIME_TO_FALL'
  | 'INVALID_STEP'
  | 'INVALID_QUANTITY'
  | 'LOT_EXPIRED'
  | 'LOT_NOT_OPEN'
>;

export function setupClock(
  setup: ClockSetup,
  lot: LotSnapshot & { id: string; minTakeGrams?: number },
  now: Date,
): { ok: true; clock: ClockSale } | ClockSetupFailure {
  if (lot.status !== 'open') return fail('LOT_NOT_OPEN', `The lot is ${lot.status}`);
  if (now.getTime() >= lot.expiresAt.getTime()) return fail('LOT_EXPIRED', 'The lot has expired');
  const floor = setup.floorPriceFenPerKg ?? lot.reservePriceFenPerKg;
  if (!isPositiveInteger(setup.startPriceFenPerKg))
    return fail('INVALID_PRICE', 'startPriceFenPerKg must be a whole number of fen above 0', 'startPriceFenPerKg');
  if (!isPositiveInteger(floor))
    return fail('INVALID_PRICE', 'floorPriceFenPerKg must be a whole number of fen above 0', 'floorPriceFenPerKg');
  if (floor < lot.reservePriceFenPerKg) {
    return fail(
      'FLOOR_BELOW_RESERVE',
      `floorPriceFenPerKg may not be below the reserve of ${lot.reservePriceFenPerKg}`,
      'floorPriceFenPerKg',
    );
  }
  if (setup.startPriceFenPerKg <= floor) {
    return fail('START_NOT_ABOVE_FLOOR', 'startPriceFenPerKg must be above the floor', 'startPriceFenPerKg');
  }
  if (setup.stepMinutes !== undefined && !isPositiveInteger(setup.stepMinutes)) {
    return fail('INVALID_STEP', 'stepMinutes must be a whole number above 0', 'stepMinutes');
  }
  // The lot's own minimum unless the farm sets one for the sale (takes honour the larger of the two).
  const minTakeGrams = setup.minTakeGrams ?? lot.minTakeGrams ?? 1;
  if (!isPositiveInteger(minTakeGrams)) return fail('INVALID_QUANTITY', 'minTakeGrams must be above 0', 'minTakeGrams');
  const startsAt = setup.startsAt && setup.startsAt.getTime() > now.getTime() ? setup.startsAt : now;
  if (!(setup.floorHoursBeforeExpiry >= 0)) {
    return fail('NO_TIME_TO_FALL', 'floorHoursBeforeExpiry must be 0 or more', 'floorHoursBeforeExpiry');
  }
  const floorAt = new Date(lot.expiresAt.getTime() - setup.floorHoursBeforeExpiry * HOUR_MS);
  if (floorAt.getTime() <= startsAt.getTime()) {
    return fail(
      'NO_TIME_TO_FALL',
      'The clock would reach its floor before it starts; lower floorHoursBeforeExpiry',
      'floorHoursBeforeExpiry',
    );
  }
  return {
    ok: true,
    clock: {
      lotId: lot.id,
      startPriceFenPerKg: setup.startPriceFenPerKg,
      floorPriceFenPerKg: floor,
      startsAt,
      floorAt,
      endsAt: lot.expiresAt,
      ...(setup.stepMinutes !== undefined ? { stepMinutes: setup.stepMinutes } : {}),
      minTakeGrams,
    },
  };
}

export type ClockPhase = 'scheduled' | 'falling' | 'at_floor' | 'ended';

export interface ClockReading {
  phase: ClockPhase;
  /** null before the start and after the end. */
  priceFenPerKg: number | null;
  /** When the price next changes (step clocks, and the floor moment); absent when it will not. */
  nextChangeAt?: Date;
}

export function currentPrice(clock: ClockSale, now: Date): ClockReading {
  const t = now.getTime();
  if (t >= clock.endsAt.getTime()) return { phase: 'ended', priceFenPerKg: null };
  if (t < clock.startsAt.getTime()) return { phase: 'scheduled', priceFenPerKg: null, nextChangeAt: clock.startsAt };
  if (t >= clock.floorAt.getTime()) return { phase: 'at_floor', priceFenPerKg: clock.floorPriceFenPerKg };

  const start = clock.startsAt.getTime();
  const span = clock.floorAt.getTime() - start;
  let elapsed = t - start;
  let nextChangeAt: Date | undefined;
  if (clock.stepMinutes !== undefined) {
    const step = clock.stepMinutes * MINUTE_MS;
    elapsed = Math.floor(elapsed / step) * step;
    nextChangeAt = new Date(Math.min(start + elapsed + step, clock.floorAt.getTime()));
  }
  const drop = clock.startPriceFenPerKg - clock.floorPriceFenPerKg;
  // start − drop × elapsed/span, rounded up to the fen: ceil((start·span − drop·elapsed) / span)
  // (BigInt: a rice lot's span in ms times a price can pass 2^53.)
  const numerator = BigInt(clock.startPriceFenPerKg) * BigInt(span) - BigInt(drop) * BigInt(elapsed);
  const ceil = (numerator + BigInt(span) - 1n) / BigInt(span);
  const price = Math.max(clock.floorPriceFenPerKg, Number(ceil));
  return nextChangeAt
    ? { phase: 'falling', priceFenPerKg: price, nextChangeAt }
    : { phase: 'falling', priceFenPerKg: price };
}

export type TakeFailure = Failure<
  'CLOCK_NOT_STARTED' | 'CLOCK_ENDED' | 'INVALID_QUANTITY' | 'BELOW_MIN_TAKE' | 'NOT_ENOUGH_LEFT' | 'PRICE_ABOVE_LIMIT'
>;

export interface Take {
  grams: number;
  priceFenPerKg: number;
  totalFen: number;
}

/**
 * A buyer takes `grams` at the clock's price now. `maxPriceFenPerKg` is what the buyer saw:
 * the clock only falls, so the limit only bites if the sale was restarted higher meanwhile.
 * The last piece of a lot may be smaller than minTakeGrams.
 */
export function take(
  clock: ClockSale,
  now: Date,
  grams: number,
  remainingGrams: number,
  maxPriceFenPerKg?: number,
): { ok: true; take: Take } | TakeFailure {
  const reading = currentPrice(clock, now);
  if (reading.phase === 'scheduled')
    return fail('CLOCK_NOT_STARTED', `The clock starts at ${clock.startsAt.toISOString()}`);
  if (reading.phase === 'ended' || reading.priceFenPerKg === null)
    return fail('CLOCK_ENDED', 'The clock sale has ended');
  if (!isPositiveInteger(grams))
    return fail('INVALID_QUANTITY', 'quantityGrams must be a whole number of grams above 0', 'quantityGrams');
  if (grams > remainingGrams)
    return fail('NOT_ENOUGH_LEFT', `Only ${remainingGrams} g left; ${grams} g asked`, 'quantityGrams');
  if (grams < clock.minTakeGrams && grams !== remainingGrams) {
    return fail(
      'BELOW_MIN_TAKE',
      `Take at least ${clock.minTakeGrams} g (or all ${remainingGrams} g left)`,
      'quantityGrams',
    );
  }
  if (maxPriceFenPerKg !== undefined && reading.priceFenPerKg > maxPriceFenPerKg) {
    return fail(
      'PRICE_ABOVE_LIMIT',
      `The price is now ${reading.priceFenPerKg} fen/kg, above your limit`,
      'maxPriceFenPerKg',
    );
  }
  return {
    ok: true,
    take: { grams, priceFenPerKg: reading.priceFenPerKg, totalFen: totalFen(grams, reading.priceFenPerKg) },
  };
}
