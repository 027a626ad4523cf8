/**
 * The market's socket actions (docs/market.md "Socket actions"), cell by cell like their REST routes in
 * market.rows.ts: succeeding cells act on fresh targets of the shared verified farm and restaurant, refused
 * cells on the targets of another pair, so a refusal that went through shows as `ok`. Pending organisations
 * are stopped before the payload is looked at; chamber staff without `onBehalfOf` trade for nobody.
 */
import { aFarm, aRestaurant, type Member } from '../../fixtures/accounts';
import {
  call,
  perApp,
  type AckExpectation,
  type Cell,
  type EventRow,
  type MatrixContext,
  type PrincipalName,
} from './support';

const HOUR = 60 * 60 * 1000;
const aLotBody = () => ({
  productCode: 'shiitake',
  quantityGrams: 100_000,
  harvestedAt: new Date(Date.now() - HOUR).toISOString(),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1500,
});
const aBidBody = () => ({ quantityGrams: 10_000, priceFenPerKg: 1200 });

interface Pair {
  farm: Member;
  restaurant: Member;
}
const id = (x: { id: string }) => x.id;
const postLot = (farm: Member) => call<{ id: string }>(farm.agent, 'POST', '/api/lots', aLotBody()).then(id);
const clockedLot = async (farm: Member) => {
  const lotId = await postLot(farm);
  await call(farm.agent, 'POST', `/api/lots/${lotId}/clock`, {
    startPriceFenPerKg: 2000,
    floorHoursBeforeExpiry: 24,
    minTakeGrams: 1000,
  });
  return lotId;
};
const aBid = async ({ farm, restaurant }: Pair) =>
  call<{ id: string }>(restaurant.agent, 'POST', `/api/lots/${await postLot(farm)}/bids`, aBidBody()).then(id);
const aCounteredBid = async (pair: Pair) => {
  const offerId = await aBid(pair);
  await call(pair.farm.agent, 'POST', `/api/bids/${offerId}/counter`, { priceFenPerKg: 1400 });
  return offerId;
};

const ours = (ctx: MatrixContext, principal?: string): Pair => ({
  farm: ctx.member('verifiedFarm'),
  restaurant: ctx.member(principal === 'canteen' ? 'canteen' : 'restaurant'),
});

/** Another trading pair's lot, clocked lot, open bid and countered bid: what refused cells aim at. */
const theirs = perApp(async ({ app }) => {
  const pair: Pair = { farm: await aFarm(app), restaurant: await aRestaurant(app) };
  return {
    lotId: await postLot(pair.farm),
    clockedLotId: await clockedLot(pair.farm),
    bidId: await aBid(pair),
    counteredBidId: await aCounteredBid(pair),
  };
});
type Theirs = Awaited<ReturnType<typeof theirs>>;

/** A target built for a succeeding cell, theirs for a refused one. */
function target(build: (pair: Pair, cell: Cell) => Promise<string>, refused: (t: Theirs) => string) {
  return async (cell: Cell) =>
    cell.succeeds ? build(ours(cell.ctx, cell.principal), cell) : refused(await theirs(cell.ctx));
}
/** Whose turn: the farm answers a bid, the restaurant a counter. */
const offerForTurn = (pair: Pair, cell: Cell) => (cell.principal === 'verifiedFarm' ? aBid(pair) : aCounteredBid(pair));

let keys = 0;
const aKey = () => `matrix-key-${Date.now()}-${++keys}`;

/** As `trading()` for routes: anonymous, then pending organisations, are refused before anything is read. */
const trading = (e: {
  farm: AckExpectation;
  restaurant: AckExpectation;
  chamber: AckExpectation;
}): Record<PrincipalName, AckExpectation> => ({
  anonymous: 'UNAUTHENTICATED',
  pendingFarm: 'VERIFICATION_PENDING',
  verifiedFarm: e.farm,
  restaurant: e.restaurant,
  pendingRestaurant: 'VERIFICATION_PENDING',
  canteen: e.restaurant,
  chamberStaff: e.chamber,
  admin: e.chamber,
});
const parties = trading({ farm: 'ok', restaurant: 'ok', chamber: 'FORBIDDEN' });

export const MARKET_EVENTS: Record<string, EventRow> = {
  // Choosing part of the board is browsing: every signed-in user, verified or not (docs/market.md "The board").
  'market:watch': {
    args: [{ productCodes: ['shiitake'], regions: ['吉安市新干县'] }],
    expect: {
      anonymous: 'UNAUTHENTICATED',
      pendingFarm: 'ok',
      verifiedFarm: 'ok',
      restaurant: 'ok',
      pendingRestaurant: 'ok',
      canteen: 'ok',
      chamberStaff: 'ok',
      admin: 'ok',
    },
  },
  'market:bid': {
    args: async (cell) => [
      {
        lotId: await target(
          (p) => postLot(p.farm),
          (t) => t.lotId,
        )(cell),
        ...aBidBody(),
      },
    ],
    // The chamber bids for itself too (direct procurement).
    expect: trading({ farm: 'FORBIDDEN', restaurant: 'ok', chamber: 'ok' }),
  },
  'market:counter': {
    args: async (cell) => [{ offerId: await target(offerForTurn, (t) => t.bidId)(cell), priceFenPerKg: 1300 }],
    expect: parties,
  },
  'market:accept': {
    args: async (cell) => [{ offerId: await target(offerForTurn, (t) => t.bidId)(cell), idempotencyKey: aKey() }],
    expect: parties,
  },
  'market:reject': {
    args: async (cell) => [{ offerId: await target(offerForTurn, (t) => t.bidId)(cell), reason: '价格太低' }],
    expect: parties,
  },
  // Withdraw is for the side whose terms are on the table: the restaurant's own bid, the farm's counter.
  'market:withdraw': {
    args: async (cell) => [
      {
        offerId: await target(
          (p, c) => (c.principal === 'verifiedFarm' ? aCounteredBid(p) : aBid(p)),
          (t) => t.counteredBidId,
        )(cell),
      },
    ],
    expect: parties,
  },
  'market:clockTake': {
    args: async (cell) => [
      {
        lotId: await target(
          (p) => clockedLot(p.farm),
          (t) => t.clockedLotId,
        )(cell),
        quantityGrams: 5_000,
        idempotencyKey: aKey(),
      },
    ],
    expect: trading({ farm: 'FORBIDDEN', restaurant: 'ok', chamber: 'FORBIDDEN' }),
  },
};
