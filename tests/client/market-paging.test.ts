/**
 * The market store's paged lists (client/src/state/market.ts): the board and the orders page read their first
 * page, append the next ones without repeating a row a live event already brought, send the search and sort to
 * the server, and keep a searched or distance-sorted board from placing new lots it cannot judge.
 */
import { MarketStore } from '../../client/src/state/market';
import type { MarketApi } from '../../client/src/state/market-api';
import type { Lot, Order } from '../../client/src/state/market-types';
import type { MarketUpdate } from '../../shared/schemas/market';

const T0 = Date.parse('2026-11-26T08:00:00+08:00');
let n = 0;

function aLot(over: Partial<Lot> = {}): Lot {
  n += 1;
  return {
    id: String(n).padStart(24, '0'),
    sellerOrgId: 'f'.repeat(24),
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
    expiresAt: new Date(T0 + (90 + n) * 3_600_000).toISOString(),
    hoursLeft: 94,
    urgency: 'fresh',
    status: 'open',
    createdAt: new Date(T0).toISOString(),
    version: 1,
    ...over,
  };
}

type LotsQuery = Parameters<MarketApi['lots']>[0];
type OrdersQuery = Parameters<MarketApi['orders']>[0];

/** A fake API serving the given pages of lots by cursor ('' = first page), recording each query. */
function pagedApi(lotPages: Record<string, { items: Lot[]; nextCursor: string | null }>, orders: Order[] = []) {
  const lotQueries: LotsQuery[] = [];
  const orderQueries: OrdersQuery[] = [];
  const empty = async () => ({ ok: true as const, data: { items: [] } });
  const api = {
    catalogue: empty,
    offers: empty,
    lots: async (query: LotsQuery) => {
      lotQueries.push(query);
      return { ok: true as const, data: lotPages[query?.cursor ?? ''] ?? { items: [], nextCursor: null } };
    },
    orders: async (query: OrdersQuery) => {
      orderQueries.push(query);
      return { ok: true as const, data: { items: orders, nextCursor: null } };
    },
  };
  return { api: api as unknown as MarketApi, lotQueries, orderQueries };
}

const posted = (lot: Lot): MarketUpdate =>
  ({ type: 'lot:posted', at: new Date(T0).toISOString(), lotId: lot.id, data: { lot } }) as unknown as MarketUpdate;

describe('the board, page by page', () => {
  it('reads the first page, then appends the next one once, and stops at nextCursor null', async () => {
    const [a, b, c, d] = [aLot(), aLot(), aLot(), aLot()];
    const { api, lotQueries } = pagedApi({
      '': { items: [a, b], nextCursor: 'page-2' },
      'page-2': { items: [b, c, d], nextCursor: null }, // b again: a live event could have shown it meanwhile
    });
    const store = new MarketStore(api, T0);
    await store.load('restaurant', 'r'.repeat(24));
    expect(store.state.board.map((l) => l.id)).toEqual([a.id, b.id]);
    expect(store.state.boardNext).toBe('page-2');
    await store.moreBoard();
    expect(store.state.board.map((l) => l.id)).toEqual([a.id, b.id, c.id, d.id]);
    expect(store.state.boardNext).toBeNull();
    await store.moreBoard(); // nothing more to read
    expect(lotQueries.map((q) => q?.cursor)).toEqual([undefined, 'page-2']);
  });

  it('sends the search and sort to the server and starts again from the first page', async () => {
    const { api, lotQueries } = pagedApi({ '': { items: [aLot()], nextCursor: 'next' } });
    const store = new MarketStore(api, T0);
    await store.load('restaurant', 'r'.repeat(24));
    await store.searchBoard({ q: '香菇', sort: 'distance' });
    expect(lotQueries[lotQueries.length - 1]).toEqual({ status: 'open', limit: 30, sort: 'distance', q: '香菇' });
    await store.searchBoard({ q: '' });
    expect(lotQueries[lotQueries.length - 1]).toEqual({ status: 'open', limit: 30, sort: 'distance' });
  });

  it('places a live new lot on a plain board in expiry order, but not on a searched one', async () => {
    const early = aLot({ expiresAt: new Date(T0 + 10 * 3_600_000).toISOString() });
    const late = aLot({ expiresAt: new Date(T0 + 50 * 3_600_000).toISOString() });
    const { api } = pagedApi({ '': { items: [early, late], nextCursor: null } });
    const store = new MarketStore(api, T0);
    await store.load('restaurant', 'r'.repeat(24));
    const between = aLot({ expiresAt: new Date(T0 + 20 * 3_600_000).toISOString() });
    store.applyUpdate(posted(between));
    expect(store.state.board.map((l) => l.id)).toEqual([early.id, between.id, late.id]);

    await store.searchBoard({ q: '木耳' });
    const shown = store.state.board.map((l) => l.id);
    store.applyUpdate(posted(aLot()));
    expect(store.state.board.map((l) => l.id)).toEqual(shown);
  });

  it('keeps a shown lot’s distance when a live event updates it', async () => {
    const near = aLot({ distanceKm: 3.2 });
    const { api } = pagedApi({ '': { items: [near], nextCursor: null } });
    const store = new MarketStore(api, T0);
    await store.load('restaurant', 'r'.repeat(24));
    await store.searchBoard({ sort: 'distance' });
    const { distanceKm: _dropped, ...fromSocket } = { ...near, remainingGrams: 100_000 };
    store.applyUpdate(posted(fromSocket));
    expect(store.state.board).toEqual([{ ...near, remainingGrams: 100_000 }]);
  });
});

describe('the orders page', () => {
  it('searches and sorts on the server', async () => {
    const { api, orderQueries } = pagedApi({});
    const store = new MarketStore(api, T0);
    await store.load('restaurant', 'r'.repeat(24));
    await store.searchOrders({ q: '辣椒', sort: 'price' });
    expect(orderQueries).toEqual([
      { limit: 30, sort: 'newest' },
      { limit: 30, sort: 'price', q: '辣椒' },
    ]);
  });
});
