/** The market's DOM-free stores and form rules, in plain Node. */
import { MarketStore } from '../../client/src/state/market';
import type { MarketApi } from '../../client/src/state/market-api';
import {
  clockReading,
  fromLocalInput,
  gramsInputValue,
  localInputValue,
  previewExpiry,
  readLotForm,
  readPrice,
  readGrams,
  shortTime,
} from '../../client/src/state/market-format';
import { MarketPrefsStore } from '../../client/src/state/market-prefs';
import { parseMarketPath } from '../../client/src/state/market-routes';
import { groupOffers } from '../../client/src/state/offer-groups';
import type { Lot, Offer, Order } from '../../client/src/state/market-types';
import type { KeyValueStorage } from '../../client/src/i18n';

const FARM = 'f'.repeat(24);
const OTHER_FARM = 'e'.repeat(24);
const T0 = Date.parse('2026-11-26T02:00:00.000Z'); // 10:00 in Nanchang

/** An order view, confirmed from an offer, unless `over` says otherwise. */
function anOrder(over: Partial<Order> = {}): Order {
  return {
    id: 'o'.repeat(24),
    lotId: 'l'.repeat(24),
    source: 'offer',
    buyerOrgId: 'c'.repeat(24),
    sellerOrgId: FARM,
    productCode: 'shiitake',
    quantityGrams: 20_000,
    priceFenPerKg: 2000,
    totalFen: 40_000,
    status: 'confirmed',
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    version: 1,
    ...over,
  };
}

let n = 0;
function aLot(over: Partial<Lot> = {}): Lot {
  n += 1;
  return {
    id: String(n).padStart(24, '0'),
    sellerOrgId: OTHER_FARM,
    productCode: 'shiitake',
    productNameZh: '鲜香菇',
    productNameEn: 'Fresh shiitake',
    quantityGrams: 200_000,
    remainingGrams: 200_000,
    soldGrams: 0,
    harvestedAt: new Date(T0 - 2 * 3_600_000).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1400,
    expiresAt: new Date(T0 + 94 * 3_600_000).toISOString(),
    hoursLeft: 94,
    urgency: 'fresh',
    status: 'open',
    createdAt: new Date(T0).toISOString(),
    version: 1,
    ...over,
  };
}

function aBid(lot: Lot, over: Partial<Offer> = {}): Offer {
  return {
    id: 'b'.repeat(24),
    kind: 'bid',
    lotId: lot.id,
    buyerOrgId: 'c'.repeat(24),
    sellerOrgId: lot.sellerOrgId,
    makerSide: 'buyer',
    status: 'open',
    turn: 'seller',
    quantityGrams: 50_000,
    priceFenPerKg: 1300,
    validUntil: new Date(T0 + 6 * 3_600_000).toISOString(),
    history: [],
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    version: 1,
    ...over,
  };
}

function fakeMarketApi(over: Partial<MarketApi> = {}): MarketApi & { lotReads: string[] } {
  const lotReads: string[] = [];
  const none = async () => ({ ok: true as const, data: { items: [] } });
  const nonePaged = async () => ({ ok: true as const, data: { items: [], nextCursor: null } });
  return {
    lotReads,
    catalogue: none,
    lots: nonePaged,
    lot: async (id) => {
      lotReads.push(id);
      return { ok: true, data: aLot({ id, remainingGrams: 150_000 }) };
    },
    postLot: async () => ({ ok: true, data: aLot() }),
    withdrawLot: async (id) => ({ ok: true, data: aLot({ id, status: 'withdrawn' }) }),
    startClock: async (id) => ({ ok: true, data: aLot({ id }) }),
    editLot: async (id, body) => ({ ok: true, data: aLot({ id, ...body }) }),
    stopClock: async (id) => ({ ok: true, data: aLot({ id }) }),
    addPhoto: async (id) => ({ ok: true, data: { photoId: 'p1', lot: aLot({ id }) } }),
    setPhotoThumb: async (id) => ({ ok: true, data: aLot({ id }) }),
    deletePhoto: async (id) => ({ ok: true, data: aLot({ id }) }),
    take: async () => ({ ok: false, error: { status: 409, code: 'CLOCK_ENDED', message: '', fields: {} } }),
    bid: async () => ({ ok: false, error: { status: 422, code: 'PRICE_BELOW_RESERVE', message: '', fields: {} } }),
    offers: nonePaged,
    accept: async () => ({ ok: false, error: { status: 409, code: 'OFFER_CLOSED', message: '', fields: {} } }),
    counter: async () => ({ ok: false, error: { status: 409, code: 'NOT_YOUR_TURN', message: '', fields: {} } }),
    reject: async () => ({ ok: false, error: { status: 409, code: 'NOT_YOUR_TURN', message: '', fields: {} } }),
    withdrawOffer: async () => ({ ok: false, error: { status: 409, code: 'OFFER_CLOSED', message: '', fields: {} } }),
    orders: nonePaged,
    orderAction: async () => ({ ok: false, error: { status: 409, code: 'WRONG_STATUS', message: '', fields: {} } }),
    order: async () => ({ ok: false, error: { status: 404, code: 'NOT_FOUND', message: '', fields: {} } }),
    capacity: async () => ({ ok: false, error: { status: 404, code: 'NOT_FOUND', message: '', fields: {} } }),
    outlook: async () => ({ ok: true, data: { days: [] } }),
    standingOrders: nonePaged,
    putCapacity: async () => ({ ok: false, error: { status: 403, code: 'FORBIDDEN', message: '', fields: {} } }),
    acceptStandingOrder: async () => ({
      ok: false,
      error: { status: 409, code: 'WRONG_STATUS', message: '', fields: {} },
    }),
    declineStandingOrder: async () => ({
      ok: false,
      error: { status: 409, code: 'WRONG_STATUS', message: '', fields: {} },
    }),
    cancelStandingOrder: async () => ({
      ok: false,
      error: { status: 409, code: 'WRONG_STATUS', message: '', fields: {} },
    }),
    myDemand: nonePaged,
    openDemand: nonePaged,
    postDemand: async () => ({ ok: false, error: { status: 0, code: 'NETWORK', message: '', fields: {} } }),
    withdrawDemand: async () => ({ ok: false, error: { status: 0, code: 'NETWORK', message: '', fields: {} } }),
    offerToDemand: async () => ({ ok: false, error: { status: 0, code: 'NETWORK', message: '', fields: {} } }),
    proposeStandingOrder: async () => ({ ok: false, error: { status: 0, code: 'NETWORK', message: '', fields: {} } }),
    farms: nonePaged,
    ...over,
  };
}

const memory = (): KeyValueStorage & { data: Record<string, string> } => {
  const data: Record<string, string> = {};
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
};

describe('posting a lot', () => {
  const form = {
    productCode: 'shiitake',
    quantity: '400',
    unit: 'jin' as const,
    harvestedAt: '2026-11-26T08:00',
    storage: 'cold' as const,
    reserve: '5.5',
    ask: '7',
    priceUnit: 'jin' as const,
  };

  it('reads 400 斤 at ¥7/斤 as grams and fen per kg, with the harvest time in Nanchang', () => {
    const r = readLotForm(form);
    expect(r).toEqual({
      ok: true,
      body: {
        productCode: 'shiitake',
        quantityGrams: 200_000,
        harvestedAt: '2026-11-26T00:00:00.000Z',
        storage: 'cold',
        reservePriceFenPerKg: 1100,
        askPriceFenPerKg: 1400,
      },
    });
  });

  it('shows the expiry from the spoilage profile before posting: cold shiitake keeps 4 days', () => {
    expect(previewExpiry(form)?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(previewExpiry({ ...form, storage: 'ambient' })?.toISOString()).toBe('2026-11-27T00:00:00.000Z');
  });

  it('names each bad field: no product, a weight that is not one, an ask below the reserve', () => {
    const r = readLotForm({ ...form, productCode: '', quantity: '四百', ask: '5' });
    expect(r).toEqual({
      ok: false,
      fields: {
        productCode: 'market.error.product',
        quantity: 'market.error.weight',
        ask: 'market.error.askBelowReserve',
      },
    });
  });

  it('reads prices per 公斤 as they are and refuses a third decimal', () => {
    expect(readPrice('13', 'kg')).toEqual({ ok: true, fenPerKg: 1300 });
    expect(readPrice('6.125', 'jin')).toEqual({ ok: false, error: 'market.error.price' });
  });

  it('keeps times in China Standard Time whatever the machine zone', () => {
    expect(localInputValue(new Date('2026-11-26T17:30:00.000Z'))).toBe('2026-11-27T01:30');
    expect(fromLocalInput('2026-11-27T01:30')?.toISOString()).toBe('2026-11-26T17:30:00.000Z');
    expect(shortTime('2026-11-26T17:30:00.000Z')).toBe('11/27 01:30');
  });
});

describe('the clock sale price', () => {
  it('falls from the start to the floor, and holds there', () => {
    const clock = {
      startPriceFenPerKg: 1400,
      floorPriceFenPerKg: 1000,
      startsAt: new Date(T0).toISOString(),
      floorAt: new Date(T0 + 4 * 3_600_000).toISOString(),
      endsAt: new Date(T0 + 10 * 3_600_000).toISOString(),
      minTakeGrams: 10_000,
      phase: 'falling' as const,
      priceFenPerKg: 1400,
    };
    expect(clockReading(clock, 'x', T0 + 2 * 3_600_000)).toMatchObject({ phase: 'falling', priceFenPerKg: 1200 });
    expect(clockReading(clock, 'x', T0 + 5 * 3_600_000)).toMatchObject({ phase: 'at_floor', priceFenPerKg: 1000 });
  });
});

describe('the market store', () => {
  it('puts a posted lot on the board, soonest expiry first, and takes it off when it is no longer open', async () => {
    const store = new MarketStore(fakeMarketApi(), T0);
    await store.load('restaurant', 'c'.repeat(24));
    const later = aLot();
    const sooner = aLot({ expiresAt: new Date(T0 + 20 * 3_600_000).toISOString() });
    store.applyUpdate({ type: 'lot:posted', lotId: later.id, data: { lot: later }, at: new Date(T0).toISOString() });
    store.applyUpdate({ type: 'lot:posted', lotId: sooner.id, data: { lot: sooner }, at: new Date(T0).toISOString() });
    expect(store.state.board.map((l) => l.id)).toEqual([sooner.id, later.id]);
  });

  it('says "bid" when a bid arrives for this farm, so the page can beep; not for other farms', async () => {
    const store = new MarketStore(fakeMarketApi(), T0);
    await store.load('farm', FARM);
    const mine = aLot({ sellerOrgId: FARM });
    expect(
      store.applyUpdate({ type: 'offer:made', offerId: 'b'.repeat(24), data: { offer: aBid(mine) }, at: '' }),
    ).toBe('bid');
    expect(store.state.offers).toHaveLength(1);
    expect(
      store.applyUpdate({ type: 'offer:made', data: { offer: aBid(aLot(), { id: 'd'.repeat(24) }) }, at: '' }),
    ).toBeNull();
  });

  it('applies the lot an order event carries, without reading it again', async () => {
    const api = fakeMarketApi();
    const store = new MarketStore(api, T0);
    await store.load('farm', FARM);
    const lot = aLot({ sellerOrgId: FARM, remainingGrams: 150_000 });
    store.applyUpdate({
      type: 'order:confirmed',
      lotId: lot.id,
      data: { order: { id: 'o'.repeat(24), lotId: lot.id, totalFen: 65_000 }, lot },
      at: '',
    });
    await new Promise((r) => setImmediate(r));
    expect(api.lotReads).toEqual([]);
    expect(store.lot(lot.id)?.remainingGrams).toBe(150_000);
    expect(store.state.orders.map((o) => o.id)).toEqual(['o'.repeat(24)]);
  });

  it('takes a withdrawn or sold-out lot off the board from the event alone', async () => {
    const api = fakeMarketApi();
    const store = new MarketStore(api, T0);
    await store.load('restaurant', 'r'.repeat(24));
    const lot = aLot();
    store.applyUpdate({ type: 'lot:posted', lotId: lot.id, data: { lot }, at: '' });
    expect(store.state.board.map((l) => l.id)).toEqual([lot.id]);
    store.applyUpdate({
      type: 'lot:updated',
      lotId: lot.id,
      data: { lot: { ...lot, remainingGrams: 0, status: 'sold_out' } },
      at: '',
    });
    expect(store.state.board).toEqual([]);
    expect(api.lotReads).toEqual([]);
  });

  it('puts the order and the lot a clock take answers with, and reads nothing again', async () => {
    const lot = aLot({ remainingGrams: 120_000 });
    const order = { id: 'o'.repeat(24), lotId: lot.id, totalFen: 65_000 } as unknown as Order;
    const api = fakeMarketApi({ take: async () => ({ ok: true, data: { order, lot } }) });
    const store = new MarketStore(api, T0);
    await store.load('restaurant', 'r'.repeat(24));
    const r = await store.take(lot.id, 50_000, 1300);
    expect(r.ok).toBe(true);
    expect(api.lotReads).toEqual([]);
    expect(store.lot(lot.id)?.remainingGrams).toBe(120_000);
    expect(store.state.orders).toEqual([order]);
  });

  it('returns the failure code of a refused bid for the page to explain', async () => {
    const store = new MarketStore(fakeMarketApi(), T0);
    const r = await store.bid(aLot().id, { quantityGrams: 1000, priceFenPerKg: 1 });
    expect(r.ok ? null : r.error.code).toBe('PRICE_BELOW_RESERVE');
  });
});

describe('display preferences', () => {
  it('shows 斤 and no sound by default, and remembers the choice', () => {
    const storage = memory();
    const prefs = new MarketPrefsStore(storage);
    expect(prefs.state).toEqual({ unit: 'jin', sound: false });
    prefs.setUnit('kg');
    prefs.toggleSound();
    expect(new MarketPrefsStore(storage).state).toEqual({ unit: 'kg', sound: true });
  });
});

describe('market paths', () => {
  it('parses the market pages and refuses anything else', () => {
    expect(parseMarketPath('/market')).toEqual({ name: 'board' });
    expect(parseMarketPath(`/market/lot/${'a'.repeat(24)}`)).toEqual({ name: 'lot', id: 'a'.repeat(24) });
    expect(parseMarketPath('/market/offers')).toEqual({ name: 'offers' });
    expect(parseMarketPath('/market/lot/../../etc')).toBeNull();
  });
});

describe('the chamber’s market overview', () => {
  it('loads the market-wide offers and orders the API gives chamber staff, newest first, and keeps them live', async () => {
    const lot = aLot();
    const older = aBid(lot, { id: '1'.repeat(24), updatedAt: new Date(T0 - 60_000).toISOString() });
    const newer = aBid(lot, { id: '2'.repeat(24), buyerOrgId: 'd'.repeat(24) });
    const calls: string[] = [];
    const store = new MarketStore(
      fakeMarketApi({
        offers: async () => {
          calls.push('offers');
          return { ok: true, data: { items: [older, newer], nextCursor: null } };
        },
        orders: async () => {
          calls.push('orders');
          return { ok: true, data: { items: [], nextCursor: null } };
        },
      }),
      T0,
    );
    await store.load('chamber', 'e'.repeat(24));
    expect(calls.sort()).toEqual(['offers', 'orders']);
    expect(store.state.offers.map((o) => o.id)).toEqual([newer.id, older.id]);

    store.applyUpdate({
      type: 'offer:accepted',
      offerId: older.id,
      data: { offer: { ...older, status: 'accepted', updatedAt: new Date(T0 + 60_000).toISOString() } },
      at: new Date(T0 + 60_000).toISOString(),
    });
    expect(store.state.offers[0]).toMatchObject({ id: older.id, status: 'accepted' });
  });
});

describe('a restaurant’s bids page', () => {
  it('puts a farm’s counter and a sell offer under "your turn", its own open bids under "the farm’s", and closed ones last', () => {
    const lot = aLot();
    const counter = aBid(lot, { id: '1'.repeat(24), status: 'countered', turn: 'buyer' });
    const sellOffer = aBid(lot, { id: '2'.repeat(24), kind: 'sell_offer', makerSide: 'seller', turn: 'buyer' });
    const waiting = aBid(lot, { id: '3'.repeat(24) });
    const accepted = aBid(lot, { id: '4'.repeat(24), status: 'accepted' });
    const expired = aBid(lot, { id: '5'.repeat(24), status: 'expired', turn: 'buyer' });
    const groups = groupOffers([counter, sellOffer, waiting, accepted, expired], 'buyer');
    expect(groups.yourTurn.map((o) => o.id)).toEqual([counter.id, sellOffer.id]);
    expect(groups.theirTurn.map((o) => o.id)).toEqual([waiting.id]);
    expect(groups.closed.map((o) => o.id)).toEqual([accepted.id, expired.id]);
    // the farm's view of the same offers is the mirror image
    expect(groupOffers([counter, sellOffer, waiting], 'seller').yourTurn.map((o) => o.id)).toEqual([waiting.id]);
    expect(groupOffers([accepted, expired], 'buyer', 1).closed).toHaveLength(1);
  });
});

describe('the received quantity of an order', () => {
  it('prefills the ordered weight in the person’s unit and reads back the same grams, nothing received included', () => {
    expect(gramsInputValue(80_000, 'jin')).toBe('160');
    expect(gramsInputValue(80_000, 'kg')).toBe('80');
    expect(gramsInputValue(80_000, 't')).toBe('0.08');
    expect(readGrams(gramsInputValue(80_000, 'jin'), 'jin', { allowZero: true })).toEqual({ ok: true, grams: 80_000 });
    expect(readGrams('150.5', 'jin', { allowZero: true })).toEqual({ ok: true, grams: 75_250 });
    expect(readGrams('0', 'kg', { allowZero: true })).toEqual({ ok: true, grams: 0 });
    expect(readGrams('', 'kg', { allowZero: true })).toEqual({ ok: false, error: 'market.error.required' });
    expect(readGrams('很多', 'kg', { allowZero: true })).toEqual({ ok: false, error: 'market.error.weight' });
    // everywhere else (a lot, a bid, a counter) nothing at all is not a quantity
    expect(readGrams('0', 'kg')).toEqual({ ok: false, error: 'market.error.weight' });
  });
});

describe('an event replayed after a reconnect', () => {
  // socket.io's connection state recovery replays what was missed; the reload after the reconnect may already
  // have read a fresher lot or order, which an older replayed event must not overwrite.

  it('leaves a lot alone when the event carries an older version than the one read, and applies a newer one', async () => {
    const fresh = aLot({ remainingGrams: 80_000, version: 5 });
    const store = new MarketStore(
      fakeMarketApi({ lots: async () => ({ ok: true, data: { items: [fresh], nextCursor: null } }) }),
      T0,
    );
    await store.load('restaurant', 'r'.repeat(24));
    store.applyUpdate({
      type: 'lot:updated',
      lotId: fresh.id,
      data: { lot: { ...fresh, remainingGrams: 150_000, version: 4 } },
      at: '',
    });
    expect(store.lot(fresh.id)).toMatchObject({ remainingGrams: 80_000, version: 5 });
    store.applyUpdate({
      type: 'lot:updated',
      lotId: fresh.id,
      data: { lot: { ...fresh, remainingGrams: 30_000, version: 6 } },
      at: '',
    });
    expect(store.lot(fresh.id)).toMatchObject({ remainingGrams: 30_000, version: 6 });
  });

  it('does not bring back a sold-out lot from an older event that still shows it open', async () => {
    const store = new MarketStore(fakeMarketApi(), T0);
    await store.load('restaurant', 'r'.repeat(24));
    const lot = aLot({ version: 2 });
    store.applyUpdate({ type: 'lot:posted', lotId: lot.id, data: { lot }, at: '' });
    store.applyUpdate({
      type: 'lot:updated',
      lotId: lot.id,
      data: { lot: { ...lot, remainingGrams: 0, status: 'sold_out', version: 3 } },
      at: '',
    });
    store.applyUpdate({ type: 'lot:updated', lotId: lot.id, data: { lot }, at: '' });
    expect(store.state.board).toEqual([]);
  });

  it('leaves an order alone when the event is older than the one held, and applies a newer one', async () => {
    const dispatched = anOrder({ status: 'dispatched', version: 3 });
    const store = new MarketStore(
      fakeMarketApi({ orders: async () => ({ ok: true, data: { items: [dispatched], nextCursor: null } }) }),
      T0,
    );
    await store.load('farm', FARM);
    store.applyUpdate({
      type: 'order:confirmed',
      orderId: dispatched.id,
      data: { order: anOrder({ status: 'confirmed', version: 2 }) },
      at: '',
    });
    expect(store.state.orders.map((o) => [o.status, o.version])).toEqual([['dispatched', 3]]);
    store.applyUpdate({
      type: 'order:updated',
      orderId: dispatched.id,
      data: { order: anOrder({ status: 'delivered', version: 4 }) },
      at: '',
    });
    expect(store.state.orders.map((o) => [o.status, o.version])).toEqual([['delivered', 4]]);
  });

  it('leaves an offer alone when the event is older than the one held, and applies a newer one', async () => {
    const lot = aLot();
    const countered = aBid(lot, { status: 'countered', turn: 'buyer', priceFenPerKg: 1350, version: 3 });
    const store = new MarketStore(
      fakeMarketApi({ offers: async () => ({ ok: true, data: { items: [countered], nextCursor: null } }) }),
      T0,
    );
    await store.load('restaurant', 'c'.repeat(24));
    store.applyUpdate({
      type: 'offer:made',
      offerId: countered.id,
      data: { offer: aBid(lot, { version: 1 }) },
      at: '',
    });
    expect(store.state.offers.map((o) => [o.status, o.version])).toEqual([['countered', 3]]);
    const accepted = aBid(lot, { status: 'accepted', version: 4 });
    store.applyUpdate({ type: 'offer:accepted', offerId: countered.id, data: { offer: accepted }, at: '' });
    expect(store.state.offers.map((o) => [o.status, o.version])).toEqual([['accepted', 4]]);
  });
});

/** An API answer the test releases when it chooses: a read that is still under way while events come in. */
function heldBack<T>(): { answer: () => Promise<T>; release: (value: T) => void } {
  let release: (value: T) => void = () => undefined;
  const answer = new Promise<T>((resolve) => (release = resolve));
  return { answer: () => answer, release };
}

describe('a load that started before an event', () => {
  // The reload after a reconnect reads every list while the socket already delivers events: a page read before
  // an event came in must not overwrite what the event brought.
  const page = <T>(items: T[]) => ({ ok: true as const, data: { items, nextCursor: null } });

  it('keeps the fresher lot, offer and order an event brought while the lists were read', async () => {
    const lot = aLot({ remainingGrams: 200_000, version: 1 });
    const bid = aBid(lot, { version: 1 });
    const order = anOrder({ lotId: lot.id, status: 'confirmed', version: 1 });
    const lots = heldBack<ReturnType<typeof page<Lot>>>();
    const offers = heldBack<ReturnType<typeof page<Offer>>>();
    const orders = heldBack<ReturnType<typeof page<Order>>>();
    const store = new MarketStore(
      fakeMarketApi({ lots: lots.answer, offers: offers.answer, orders: orders.answer }),
      T0,
    );
    const loading = store.load('restaurant', 'c'.repeat(24));
    store.applyUpdate({
      type: 'lot:updated',
      lotId: lot.id,
      data: { lot: { ...lot, remainingGrams: 150_000, version: 2 } },
      at: '',
    });
    store.applyUpdate({
      type: 'offer:countered',
      offerId: bid.id,
      data: { offer: { ...bid, status: 'countered', turn: 'buyer', version: 2 } },
      at: '',
    });
    store.applyUpdate({
      type: 'order:updated',
      orderId: order.id,
      data: { order: { ...order, status: 'dispatched', version: 2 } },
      at: '',
    });
    lots.release(page([lot]));
    offers.release(page([bid]));
    orders.release(page([order]));
    await loading;
    expect(store.state.board.map((l) => [l.remainingGrams, l.version])).toEqual([[150_000, 2]]);
    expect(store.state.offers.map((o) => [o.status, o.version])).toEqual([['countered', 2]]);
    expect(store.state.orders.map((o) => [o.status, o.version])).toEqual([['dispatched', 2]]);
  });

  it('keeps a lot posted meanwhile, and does not bring back one that sold out meanwhile', async () => {
    const soldOut = aLot({ version: 3 });
    const posted = aLot({ version: 1 });
    const lots = heldBack<ReturnType<typeof page<Lot>>>();
    const store = new MarketStore(fakeMarketApi({ lots: lots.answer }), T0);
    const loading = store.load('restaurant', 'c'.repeat(24));
    store.applyUpdate({
      type: 'lot:updated',
      lotId: soldOut.id,
      data: { lot: { ...soldOut, remainingGrams: 0, status: 'sold_out', version: 4 } },
      at: '',
    });
    store.applyUpdate({ type: 'lot:posted', lotId: posted.id, data: { lot: posted }, at: '' });
    lots.release(page([soldOut]));
    await loading;
    expect(store.state.board.map((l) => l.id)).toEqual([posted.id]);
  });

  it('still drops what the read no longer shows and no event touched meanwhile', async () => {
    const gone = aLot({ version: 2 });
    let shown: Lot[] = [gone];
    const store = new MarketStore(fakeMarketApi({ lots: async () => page(shown) }), T0);
    await store.load('restaurant', 'c'.repeat(24));
    expect(store.state.board.map((l) => l.id)).toEqual([gone.id]);
    shown = [];
    await store.load('restaurant', 'c'.repeat(24));
    expect(store.state.board).toEqual([]);
  });
});

describe('a proposed order on the farm’s orders page', () => {
  const proposed: Order = anOrder({
    id: 'a'.repeat(24),
    lotId: '',
    source: 'standing_order',
    buyerName: '赣江渔火南昌菜馆',
    sellerName: '鑫源合作社',
    status: 'proposed',
    standing: {
      standingOrderId: 's'.repeat(24),
      date: '2026-11-26',
      baseGrams: 20_000,
      maxExtraGrams: 2_000,
      extraPriceFenPerKg: 1800,
    },
  });

  it('offers only the farm’s open, unspoilt lots of the product with at least the base left, soonest expiry first', async () => {
    const fits = aLot({ sellerOrgId: FARM, remainingGrams: 20_000 });
    const sooner = aLot({ sellerOrgId: FARM, expiresAt: new Date(T0 + 3_600_000).toISOString() });
    const tooLittle = aLot({ sellerOrgId: FARM, remainingGrams: 19_999 });
    const otherProduct = aLot({ sellerOrgId: FARM, productCode: 'bok_choy' });
    const withdrawn = aLot({ sellerOrgId: FARM, status: 'withdrawn' });
    const spoilt = aLot({ sellerOrgId: FARM, expiresAt: new Date(T0 - 1).toISOString() });
    const store = new MarketStore(
      fakeMarketApi({
        lots: async () => ({
          ok: true,
          data: { items: [fits, sooner, tooLittle, otherProduct, withdrawn, spoilt], nextCursor: null },
        }),
      }),
      T0,
    );
    await store.load('farm', FARM);
    expect(store.lotsForProposal(proposed).map((l) => l.id)).toEqual([sooner.id, fits.id]);
  });

  it('is replaced by the confirmed order the farm’s 确认 returns', async () => {
    const confirmed: Order = { ...proposed, status: 'confirmed', lotId: 'l'.repeat(24), quantityGrams: 21_000 };
    const sent: unknown[] = [];
    const store = new MarketStore(
      fakeMarketApi({
        orders: async () => ({ ok: true, data: { items: [proposed], nextCursor: null } }),
        orderAction: async (id, action, body) => {
          sent.push({ id, action, body });
          return { ok: true, data: confirmed };
        },
      }),
      T0,
    );
    await store.load('farm', FARM);
    const r = await store.orderAction(proposed.id, 'confirm-proposal', {
      lotId: 'l'.repeat(24),
      quantityGrams: 21_000,
    });
    expect(r.ok).toBe(true);
    expect(sent).toEqual([
      { id: proposed.id, action: 'confirm-proposal', body: { lotId: 'l'.repeat(24), quantityGrams: 21_000 } },
    ]);
    expect(store.state.orders.map((o) => [o.id, o.status])).toEqual([[proposed.id, 'confirmed']]);
  });
});
