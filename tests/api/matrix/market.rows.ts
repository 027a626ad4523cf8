/**
 * The market's rows: lots, clock sale, bids and offers, orders, demand, standing orders, capacity.
 *
 * Succeeding cells act on targets of their own organisation: the shared verified farm's lots, the
 * shared restaurant's bids on them, the orders between the two. Refusals act on the targets of ANOTHER
 * pair (`theirs`: a second verified farm and restaurant), so a cell that should be refused but is not
 * shows up as a 2xx. Market errors: a stranger reading an offer, order or standing order gets 404 (its
 * existence is hidden); a stranger or the wrong kind of organisation acting on one gets 403 FORBIDDEN
 * (docs/market.md); pending organisations are stopped by `requireVerified` before any lookup.
 */
import { addDays, shanghaiDate } from '../../../shared/domain/calendar';
import { aFarm, aRestaurant, type Member } from '../../fixtures/accounts';
import {
  call,
  everyone,
  FORBIDDEN,
  NOT_FOUND,
  onlyOwn,
  perApp,
  signedIn,
  trading,
  type Cell,
  type MatrixContext,
  type RouteRow,
} from './support';

const HOUR = 60 * 60 * 1000;
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();

/** 100 kg of shiitake, cold, harvested an hour ago (expires in ~95 h), reserve ¥10/kg, ask ¥15/kg. */
const aLotBody = () => ({
  productCode: 'shiitake',
  quantityGrams: 100_000,
  harvestedAt: inHours(-1),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1500,
});
const aBidBody = () => ({ quantityGrams: 10_000, priceFenPerKg: 1200 });
const aClockBody = () => ({ startPriceFenPerKg: 2000, floorHoursBeforeExpiry: 24, minTakeGrams: 1000 });
const aDemandBody = () => ({
  productCode: 'shiitake',
  quantityGrams: 10_000,
  maxPriceFenPerKg: 2000,
  neededBy: inHours(24),
});
const aStandingOrderBody = (sellerOrgId: string) => ({
  productCode: 'shiitake',
  gramsPerOccurrence: 10_000,
  weekdays: [2, 5],
  priceFenPerKg: 1200,
  startDate: shanghaiDate(new Date()),
  endDate: addDays(shanghaiDate(new Date()), 60),
  sellerOrgId,
});
const aCapacityBody = () => ({
  production: [{ productCode: 'shiitake', dailyGrams: 50_000 }],
  coldStorageGrams: 100_000,
  dispatchGramsPerDay: 200_000,
});

const id = (x: { id: string }) => x.id;
const postLot = (farm: Member) => call<{ id: string }>(farm.agent, 'POST', '/api/lots', aLotBody()).then(id);
const clockedLot = async (farm: Member) => {
  const lotId = await postLot(farm);
  await call(farm.agent, 'POST', `/api/lots/${lotId}/clock`, aClockBody());
  return lotId;
};
const bidOn = (lotId: string, restaurant: Member) =>
  call<{ id: string }>(restaurant.agent, 'POST', `/api/lots/${lotId}/bids`, aBidBody()).then(id);

/** The farm's own cells and the restaurant's: a pair trading with each other. */
interface Pair {
  farm: Member;
  restaurant: Member;
}
/** The cell's own pair: the verified farm and the buyer acting (the canteen buys as a restaurant does). */
const ours = (ctx: MatrixContext, principal?: string): Pair => ({
  farm: ctx.member('verifiedFarm'),
  restaurant: ctx.member(principal === 'canteen' ? 'canteen' : 'restaurant'),
});

/** An open bid of the restaurant on the farm's lot: the farm's turn. */
const aBid = async ({ farm, restaurant }: Pair) => bidOn(await postLot(farm), restaurant);
/** The farm countered the restaurant's bid: the restaurant's turn. */
const aCounteredBid = async (pair: Pair) => {
  const offerId = await aBid(pair);
  await call(pair.farm.agent, 'POST', `/api/bids/${offerId}/counter`, { priceFenPerKg: 1400 });
  return offerId;
};
/** A confirmed order: the farm accepted the restaurant's bid. */
const anOrder = async (pair: Pair) => {
  const offerId = await aBid(pair);
  return (await call<{ order: { id: string } }>(pair.farm.agent, 'POST', `/api/bids/${offerId}/accept`, {})).order.id;
};
const aDispatchedOrder = async (pair: Pair) => {
  const orderId = await anOrder(pair);
  await call(pair.farm.agent, 'POST', `/api/orders/${orderId}/dispatch`, {});
  return orderId;
};
const aDeliveredOrder = async (pair: Pair) => {
  const orderId = await aDispatchedOrder(pair);
  await call(pair.farm.agent, 'POST', `/api/orders/${orderId}/deliver`, { deliveredGrams: 10_000 });
  return orderId;
};
const aDemand = (restaurant: Member) =>
  call<{ id: string }>(restaurant.agent, 'POST', '/api/demand', aDemandBody()).then(id);
/** Proposed: the named farm has not answered yet. */
const aStandingOrder = (pair: Pair) =>
  call<{ id: string }>(
    pair.restaurant.agent,
    'POST',
    '/api/standing-orders',
    aStandingOrderBody(pair.farm.organisationId),
  ).then(id);
const anAcceptedStandingOrder = async (pair: Pair) => {
  const standingOrderId = await aStandingOrder(pair);
  await call(pair.farm.agent, 'POST', `/api/standing-orders/${standingOrderId}/accept`, {});
  return standingOrderId;
};

/**
 * Another farm and restaurant, trading with each other, and their targets: what the refused cells aim at.
 * Built once; refusals must leave them as they are (a refusal that went through would show as a 2xx).
 */
const theirs = perApp(async ({ app }) => {
  const pair: Pair = { farm: await aFarm(app), restaurant: await aRestaurant(app) };
  const [lotId, clockedLotId, bidId, counteredBidId, orderId, deliveredOrderId, demandId, standingOrderId] = [
    await postLot(pair.farm),
    await clockedLot(pair.farm),
    await aBid(pair),
    await aCounteredBid(pair),
    await anOrder(pair),
    await aDeliveredOrder(pair),
    await aDemand(pair.restaurant),
    await aStandingOrder(pair),
  ];
  // Their farm's plan: what chamber staff may read and everyone else is refused.
  await call(pair.farm.agent, 'PUT', '/api/capacity', aCapacityBody());
  return { pair, lotId, clockedLotId, bidId, counteredBidId, orderId, deliveredOrderId, demandId, standingOrderId };
});
type Theirs = Awaited<ReturnType<typeof theirs>>;

/** A list read once their targets exist, so a list that leaked them would show it. */
async function listAfterTheirs(ctx: MatrixContext, path: string) {
  await theirs(ctx);
  return { path };
}

/** Offers and orders: a trader's list holds only its own; chamber staff and admins see other organisations' too. */
function ownOrMarketWide(body: unknown, cell: Cell): void {
  if (cell.principal !== 'chamberStaff' && cell.principal !== 'admin')
    return onlyOwn('buyerOrgId', 'sellerOrgId')(body, cell);
  const items = (body as { items?: Record<string, unknown>[] }).items ?? [];
  const own = cell.member?.organisationId;
  if (!items.some((item) => item.buyerOrgId !== own && item.sellerOrgId !== own))
    throw new Error('the chamber’s market-wide list holds no other organisation’s items');
}

/** `path(target)` on a target built for this cell when it succeeds, on theirs when it is refused. */
function target(build: (pair: Pair, cell: Cell) => Promise<string>, refused: (t: Theirs) => string) {
  return async (cell: Cell) =>
    cell.succeeds ? build(ours(cell.ctx, cell.principal), cell) : refused(await theirs(cell.ctx));
}

/** The offer a succeeding cell acts on: a bid for the farm (its turn), a countered bid for the restaurant (its turn). */
const offerForTurn = (pair: Pair, cell: Cell) => (cell.principal === 'verifiedFarm' ? aBid(pair) : aCounteredBid(pair));

/** GET /api/bids/:id and /api/offers/:id: the two parties read it; anyone else 404 (existence hidden). */
const readOffer = (base: string): RouteRow => ({
  request: async (cell) => ({ path: `${base}/${await target(aBid, (t) => t.bidId)(cell)}` }),
  expect: { ...signedIn(NOT_FOUND), verifiedFarm: 200, restaurant: 200, canteen: 200 },
});

/** Accept, counter, reject, withdraw: by whichever party's turn (or terms) it is; strangers 403 FORBIDDEN. */
function offerActions(base: string): Record<string, RouteRow> {
  const parties = trading({ farm: 200, restaurant: 200, chamber: FORBIDDEN });
  return {
    [`POST ${base}/:id/accept`]: {
      request: async (cell) => ({
        path: `${base}/${await target(offerForTurn, (t) => t.bidId)(cell)}/accept`,
        body: {},
      }),
      expect: parties,
    },
    [`POST ${base}/:id/counter`]: {
      request: async (cell) => ({
        path: `${base}/${await target(offerForTurn, (t) => t.bidId)(cell)}/counter`,
        body: { priceFenPerKg: 1300 },
      }),
      expect: parties,
    },
    [`POST ${base}/:id/reject`]: {
      request: async (cell) => ({
        path: `${base}/${await target(offerForTurn, (t) => t.bidId)(cell)}/reject`,
        body: { reason: '价格太低' },
      }),
      expect: parties,
    },
    // Withdraw is for a side whose terms are on the table: the restaurant's own bid, the farm's counter.
    [`POST ${base}/:id/withdraw`]: {
      request: async (cell) => ({
        path: `${base}/${await target(
          (pair, c) => (c.principal === 'verifiedFarm' ? aCounteredBid(pair) : aBid(pair)),
          (t) => t.counteredBidId,
        )(cell)}/withdraw`,
        body: {},
      }),
      expect: parties,
    },
  };
}

/** Order transitions: `who` may, the other party gets WRONG_SIDE on its own order — here checked on theirs: FORBIDDEN. */
function orderAction(
  action: string,
  build: (pair: Pair) => Promise<string>,
  body: unknown,
  who: { farm: boolean; restaurant: boolean },
  theirOrder: (t: Theirs) => string = (t) => t.orderId,
): RouteRow {
  return {
    request: async (cell) => ({ path: `/api/orders/${await target(build, theirOrder)(cell)}/${action}`, body }),
    expect: trading({
      farm: who.farm ? 200 : FORBIDDEN,
      restaurant: who.restaurant ? 200 : FORBIDDEN,
      chamber: FORBIDDEN,
    }),
  };
}

/** Capacity reads: the verified farm its own (set first); chamber staff and every refusal name their farm. */
const planReaders = { ...signedIn(FORBIDDEN), verifiedFarm: 200, chamberStaff: 200, admin: 200 } as const;
async function planOf(cell: Cell, path: string) {
  const join = path.includes('?') ? '&' : '?';
  if (cell.principal === 'verifiedFarm') {
    await call(cell.agent, 'PUT', '/api/capacity', aCapacityBody());
    return { path: `${path}${join}orgId=${cell.ctx.member('verifiedFarm').organisationId}` };
  }
  return { path: `${path}${join}orgId=${(await theirs(cell.ctx)).pair.farm.organisationId}` };
}
/** The capacity read is the farm's the cell named, not the caller's. */
function planOfTheFarm(body: unknown, cell: Cell): void {
  const orgId = (body as { orgId?: string }).orgId;
  const want = cell.principal === 'verifiedFarm' ? cell.ctx.member('verifiedFarm').organisationId : undefined;
  if (want && orgId !== want) throw new Error(`read ${orgId}, not the farm’s own`);
  if (!want && orgId === cell.member?.organisationId)
    throw new Error('chamber staff read their own organisation, not the farm they named');
}

export const MARKET_ROUTES: Record<string, RouteRow> = {
  'GET /api/catalogue': { request: async () => ({ path: '/api/catalogue' }), expect: everyone(200) },

  // Lots: farms post; anyone signed in browses; only the posting farm withdraws or runs a clock.
  'POST /api/lots': {
    request: async () => ({ path: '/api/lots', body: aLotBody() }),
    expect: trading({ farm: 201, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },
  'GET /api/lots': { request: async () => ({ path: '/api/lots?status=open' }), expect: signedIn(200) },
  // Lots are public to signed-in users (restaurants browse any farm's): a stranger's lot reads fine.
  'GET /api/lots/:id': {
    request: async ({ ctx }) => ({ path: `/api/lots/${(await theirs(ctx)).lotId}` }),
    expect: signedIn(200),
  },
  'POST /api/lots/:id/withdraw': {
    request: async (cell) => ({
      path: `/api/lots/${await target(
        (p) => postLot(p.farm),
        (t) => t.lotId,
      )(cell)}/withdraw`,
    }),
    expect: trading({ farm: 200, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },
  'POST /api/lots/:id/clock': {
    request: async (cell) => ({
      path: `/api/lots/${await target(
        (p) => postLot(p.farm),
        (t) => t.lotId,
      )(cell)}/clock`,
      body: aClockBody(),
    }),
    expect: trading({ farm: 200, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },
  // Only restaurants buy: a farm (even another farm) and the chamber are refused on another farm's clock.
  'POST /api/lots/:id/clock/take': {
    request: async (cell) => ({
      path: `/api/lots/${await target(
        (p) => clockedLot(p.farm),
        (t) => t.clockedLotId,
      )(cell)}/clock/take`,
      body: { quantityGrams: 5_000 },
    }),
    expect: trading({ farm: FORBIDDEN, restaurant: 201, chamber: FORBIDDEN }),
  },
  // Lot management (issue 12): only the posting farm edits, stops its clock, adds or deletes photos.
  'PATCH /api/lots/:id': {
    request: async (cell) => ({
      path: `/api/lots/${await target(
        (p) => postLot(p.farm),
        (t) => t.lotId,
      )(cell)}`,
      body: { askPriceFenPerKg: 1600 },
    }),
    expect: trading({ farm: 200, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },
  'POST /api/lots/:id/clock/stop': {
    request: async (cell) => ({
      path: `/api/lots/${await target(
        (p) => clockedLot(p.farm),
        (t) => t.clockedLotId,
      )(cell)}/clock/stop`,
      body: {},
    }),
    expect: trading({ farm: 200, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },
  // The matrix sends JSON, not images: its cells act on ANOTHER farm's lot, so every one is refused, the
  // verified farm included; uploads, thumbnails and deletes by the lot's own farm: tests/api/lots-photos.test.ts.
  'POST /api/lots/:id/photos': {
    request: async (cell) => ({
      path: `/api/lots/${await target(
        (p) => postLot(p.farm),
        (t) => t.lotId,
      )(cell)}/photos`,
      body: {},
    }),
    expect: trading({ farm: FORBIDDEN, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },
  'PUT /api/lots/:id/photos/:photoId/thumb': {
    request: async (cell) => ({
      path: `/api/lots/${await target(
        (p) => postLot(p.farm),
        (t) => t.lotId,
      )(cell)}/photos/no-such-photo/thumb`,
      body: {},
    }),
    expect: trading({ farm: FORBIDDEN, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },
  'DELETE /api/lots/:id/photos/:photoId': {
    request: async (cell) => ({
      path: `/api/lots/${await target(
        (p) => postLot(p.farm),
        (t) => t.lotId,
      )(cell)}/photos/no-such-photo`,
    }),
    expect: trading({ farm: FORBIDDEN, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },
  // Photos are public to signed-in users like their lots (tests/api/lots-photos.test.ts reads real ones).
  'GET /api/lots/:id/photos/:photoId': {
    request: async ({ ctx }) => ({ path: `/api/lots/${(await theirs(ctx)).lotId}/photos/no-such-photo` }),
    expect: signedIn(NOT_FOUND),
  },
  'GET /api/lots/:id/photos/:photoId/thumb': {
    request: async ({ ctx }) => ({ path: `/api/lots/${(await theirs(ctx)).lotId}/photos/no-such-photo/thumb` }),
    expect: signedIn(NOT_FOUND),
  },
  // Every buyer kind bids, and so does the chamber itself (direct procurement, recorded as such in the ledger).
  'POST /api/lots/:id/bids': {
    request: async (cell) => ({
      path: `/api/lots/${await target(
        (p) => postLot(p.farm),
        (t) => t.lotId,
      )(cell)}/bids`,
      body: aBidBody(),
    }),
    expect: trading({ farm: FORBIDDEN, restaurant: 201, chamber: 201 }),
  },

  // Offers: traders list their own organisation's only; the chamber reads the whole market.
  // (Their offers, orders and standing orders exist by now, so a leak — or a chamber list without them — shows.)
  'GET /api/offers': {
    request: ({ ctx }) => listAfterTheirs(ctx, '/api/offers'),
    expect: signedIn(200),
    check: ownOrMarketWide,
  },
  'GET /api/bids/:id': readOffer('/api/bids'),
  'GET /api/offers/:id': readOffer('/api/offers'),
  ...offerActions('/api/bids'),
  ...offerActions('/api/offers'),

  // Orders: the two parties read them; strangers get 404.
  'GET /api/orders': {
    request: ({ ctx }) => listAfterTheirs(ctx, '/api/orders'),
    expect: signedIn(200),
    check: ownOrMarketWide,
  },
  'GET /api/orders/:id': {
    request: async (cell) => ({ path: `/api/orders/${await target(anOrder, (t) => t.orderId)(cell)}` }),
    // The chamber reads an order's detail too (it oversees the market and brokers; issue 12's phones).
    expect: { ...signedIn(NOT_FOUND), verifiedFarm: 200, restaurant: 200, canteen: 200, chamberStaff: 200, admin: 200 },
  },
  // Either party edits where the goods go and the slot until dispatch.
  'POST /api/orders/:id/delivery': orderAction(
    'delivery',
    anOrder,
    { address: '南昌市红谷滩区丰和中大道 1 号' },
    { farm: true, restaurant: true },
  ),
  // A standing order's proposed order: only its farm confirms or declines (tests/api/standing-orders-produce.test.ts);
  // on an order that is not a proposal nobody may (403).
  'POST /api/orders/:id/confirm-proposal': {
    request: async (cell) => ({
      path: `/api/orders/${await target(anOrder, (t) => t.orderId)(cell)}/confirm-proposal`,
      body: { lotId: 'no-such-lot', quantityGrams: 10_000 },
    }),
    expect: trading({ farm: FORBIDDEN, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },
  'POST /api/orders/:id/decline': {
    request: async (cell) => ({
      path: `/api/orders/${await target(anOrder, (t) => t.orderId)(cell)}/decline`,
      body: { reason: '今天没有货' },
    }),
    expect: trading({ farm: FORBIDDEN, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },
  'POST /api/orders/:id/dispatch': orderAction('dispatch', anOrder, {}, { farm: true, restaurant: false }),
  'POST /api/orders/:id/deliver': orderAction(
    'deliver',
    aDispatchedOrder,
    { deliveredGrams: 9_000 },
    { farm: true, restaurant: true },
  ),
  'POST /api/orders/:id/complete': orderAction(
    'complete',
    aDeliveredOrder,
    {},
    { farm: false, restaurant: true },
    (t) => t.deliveredOrderId,
  ),
  'POST /api/orders/:id/cancel': orderAction(
    'cancel',
    anOrder,
    { reason: '临时停业' },
    { farm: true, restaurant: true },
  ),
  'POST /api/orders/:id/dispute': orderAction(
    'dispute',
    aDeliveredOrder,
    { note: '少了一箱' },
    { farm: false, restaurant: true },
    (t) => t.deliveredOrderId,
  ),

  // Demand: restaurants post and withdraw their own; farms answer it with their own lots.
  'POST /api/demand': {
    request: async () => ({ path: '/api/demand', body: aDemandBody() }),
    expect: trading({ farm: FORBIDDEN, restaurant: 201, chamber: FORBIDDEN }),
  },
  'GET /api/demand': { request: async () => ({ path: '/api/demand' }), expect: signedIn(200) },
  'POST /api/demand/:id/withdraw': {
    request: async (cell) => ({
      path: `/api/demand/${await target(
        (p) => aDemand(p.restaurant),
        (t) => t.demandId,
      )(cell)}/withdraw`,
      body: {},
    }),
    expect: trading({ farm: FORBIDDEN, restaurant: 200, chamber: FORBIDDEN }),
  },
  // Answering their demand with their farm's lot: nobody but that farm may offer that lot.
  'POST /api/demand/:id/offers': {
    request: async (cell) => {
      const t = await theirs(cell.ctx);
      const lotId = cell.succeeds ? await postLot(ours(cell.ctx).farm) : t.lotId;
      return { path: `/api/demand/${t.demandId}/offers`, body: { lotId, quantityGrams: 10_000, priceFenPerKg: 1500 } };
    },
    expect: trading({ farm: 201, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },

  // Standing orders: the restaurant places and cancels; the named farm accepts, declines or ends one;
  // both read the occurrences. Refusals aim at another pair's proposed standing order.
  'POST /api/standing-orders': {
    request: async ({ ctx }) => ({
      path: '/api/standing-orders',
      body: aStandingOrderBody(ctx.member('verifiedFarm').organisationId),
    }),
    expect: trading({ farm: FORBIDDEN, restaurant: 201, chamber: FORBIDDEN }),
  },
  // Chamber staff read every organisation's standing orders; a trader only its own (naming another orgId: 403).
  'GET /api/standing-orders': {
    request: ({ ctx }) => listAfterTheirs(ctx, '/api/standing-orders'),
    expect: signedIn(200),
    check: ownOrMarketWide,
  },
  'GET /api/standing-orders/:id/occurrences': {
    request: async (cell) => ({
      path: `/api/standing-orders/${await target(aStandingOrder, (t) => t.standingOrderId)(cell)}/occurrences?days=7`,
    }),
    expect: { ...signedIn(NOT_FOUND), verifiedFarm: 200, restaurant: 200, canteen: 200 },
  },
  'POST /api/standing-orders/:id/accept': {
    request: async (cell) => ({
      path: `/api/standing-orders/${await target(aStandingOrder, (t) => t.standingOrderId)(cell)}/accept`,
      body: {},
    }),
    expect: trading({ farm: 200, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },
  'POST /api/standing-orders/:id/decline': {
    request: async (cell) => ({
      path: `/api/standing-orders/${await target(aStandingOrder, (t) => t.standingOrderId)(cell)}/decline`,
      body: { reason: '那几天产量不够' },
    }),
    expect: trading({ farm: 200, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },
  // The farm ends one it accepted; the restaurant cancels its own (here still proposed).
  'POST /api/standing-orders/:id/cancel': {
    request: async (cell) => ({
      path: `/api/standing-orders/${await target(
        (pair, c) => (c.principal === 'verifiedFarm' ? anAcceptedStandingOrder(pair) : aStandingOrder(pair)),
        (t) => t.standingOrderId,
      )(cell)}/cancel`,
      body: { reason: '冷库检修，暂停供货' },
    }),
    expect: trading({ farm: 200, restaurant: 200, chamber: FORBIDDEN }),
  },

  // Farms a restaurant can name in a standing order: verified farms only (id, name, region), to anyone signed in.
  'GET /api/farms': {
    request: ({ ctx }) => listAfterTheirs(ctx, '/api/farms'),
    expect: signedIn(200),
    check: (body, { ctx }) => {
      const items = (body as { items?: Record<string, unknown>[] }).items ?? [];
      const ids = items.map((item) => item.id);
      if (!ids.includes(ctx.member('verifiedFarm').organisationId)) throw new Error('the verified farm is not listed');
      if (ids.includes(ctx.member('pendingFarm').organisationId) || ids.includes(ctx.someFarm.organisationId))
        throw new Error('a pending farm is listed');
      if (ids.includes(ctx.member('restaurant').organisationId) || ids.includes(ctx.member('canteen').organisationId))
        throw new Error('a buyer is listed');
      const extra = items.flatMap((item) => Object.keys(item)).filter((k) => !['id', 'name', 'region'].includes(k));
      if (extra.length > 0) throw new Error(`farms are listed with more than id, name and region: ${extra.join(', ')}`);
    },
  },

  // Capacity: a farm reads its own; chamber staff read any farm's (`orgId`), read-only. Refusals name their farm.
  'PUT /api/capacity': {
    request: async () => ({ path: '/api/capacity', body: aCapacityBody() }),
    expect: trading({ farm: 200, restaurant: FORBIDDEN, chamber: FORBIDDEN }),
  },
  'GET /api/capacity': { request: (cell) => planOf(cell, '/api/capacity'), expect: planReaders, check: planOfTheFarm },
  'GET /api/capacity/outlook': { request: (cell) => planOf(cell, '/api/capacity/outlook?days=7'), expect: planReaders },
  'GET /api/capacity/market-outlook': {
    request: ({ ctx }) => listAfterTheirs(ctx, '/api/capacity/market-outlook?days=7'),
    expect: { ...signedIn(FORBIDDEN), chamberStaff: 200, admin: 200 },
    // Their farm has a plan by now (listAfterTheirs): the market outlook must hold it.
    check: (body) => {
      const { farms = [], days = [] } = body as { farms?: unknown[]; days?: unknown[] };
      if (farms.length === 0 || days.length !== 7)
        throw new Error(`market outlook without farms or not 7 days: ${JSON.stringify(body).slice(0, 200)}`);
    },
  },
};
