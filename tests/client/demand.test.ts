/** The demand forms and store: what a restaurant or farm types becomes grams, fen per kg and Shanghai instants. */
import { translate, type Translate } from '../../client/src/i18n';
import type { ApiResult } from '../../client/src/state/api-result';
import { DemandStore, standingStatus } from '../../client/src/state/demand';
import {
  deliveryWindowText,
  emptyDemandForm,
  emptyStandingForm,
  lotsForDemand,
  readDemandForm,
  readStandingForm,
  type DemandFormInput,
  type DemandView,
  type StandingFormInput,
} from '../../client/src/state/demand-forms';
import type { DemandBody, MarketApi, SellOfferBody, StandingOrderBody } from '../../client/src/state/market-api';
import { parseMarketPath } from '../../client/src/state/market-routes';
import type { Lot, Offer } from '../../client/src/state/market-types';

const t: Translate = (key, params) => translate('zh-CN', key, params);
const NOW = new Date('2026-11-26T02:00:00.000Z'); // Thursday 10:00 in Nanchang
const FARM = 'f'.repeat(24);
const RESTAURANT = 'c'.repeat(24);

const failure = (status: number, code: string, fields: Record<string, string> = {}) => ({
  ok: false as const,
  error: { status, code, message: 'server says no', fields },
});

function aDemand(over: Partial<DemandView> = {}): DemandView {
  return {
    id: 'd'.repeat(24),
    buyerOrgId: RESTAURANT,
    productCode: 'enoki',
    quantityGrams: 30_000,
    maxPriceFenPerKg: 900,
    neededBy: '2026-11-28T02:00:00.000Z',
    status: 'open',
    createdBy: 'u'.repeat(24),
    deliveryRequired: false,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    ...over,
  };
}

function aLot(over: Partial<Lot> = {}): Lot {
  return {
    id: 'a'.repeat(24),
    sellerOrgId: FARM,
    productCode: 'enoki',
    productNameZh: '金针菇',
    productNameEn: 'Enoki',
    quantityGrams: 100_000,
    remainingGrams: 20_000,
    soldGrams: 80_000,
    harvestedAt: '2026-11-26T00:00:00.000Z',
    storage: 'cold',
    reservePriceFenPerKg: 800,
    askPriceFenPerKg: 1000,
    expiresAt: '2026-12-03T00:00:00.000Z',
    hoursLeft: 160,
    urgency: 'fresh',
    status: 'open',
    createdAt: '2026-11-26T00:00:00.000Z',
    version: 1,
    ...over,
  };
}

/** Records what the store sends; every answer is what the test says the server does. */
function fakeApi(over: Partial<MarketApi> = {}) {
  const sent: {
    demand: DemandBody[];
    standing: StandingOrderBody[];
    offers: { demandId: string; body: SellOfferBody }[];
  } = { demand: [], standing: [], offers: [] };
  const unexpected = (name: string) => () => Promise.reject(new Error(`unexpected call: ${name}`));
  const api = {
    myDemand: async () => ({ ok: true as const, data: { items: [], nextCursor: null } }),
    standingOrders: async () => ({ ok: true as const, data: { items: [], nextCursor: null } }),
    farms: async () => ({
      ok: true as const,
      data: { items: [{ id: FARM, name: '新干县鑫源食用菌专业合作社', region: '吉安市新干县' }], nextCursor: null },
    }),
    openDemand: async () => ({
      ok: true as const,
      data: {
        items: [aDemand({ id: '2'.repeat(24), neededBy: '2026-11-29T02:00:00.000Z' }), aDemand({ id: '1'.repeat(24) })],
        nextCursor: null,
      },
    }),
    postDemand: async (body: DemandBody) => {
      sent.demand.push(body);
      return {
        ok: true as const,
        data: aDemand({ id: 'e'.repeat(24), productCode: body.productCode, quantityGrams: body.quantityGrams }),
      };
    },
    proposeStandingOrder: async (body: StandingOrderBody) => {
      sent.standing.push(body);
      return { ok: true as const, data: { id: 's'.repeat(24), buyerOrgId: RESTAURANT, ...body, status: 'proposed' } };
    },
    offerToDemand: async (demandId: string, body: SellOfferBody): Promise<ApiResult<Offer>> => {
      sent.offers.push({ demandId, body });
      return failure(409, 'DEMAND_CLOSED');
    },
    withdrawDemand: unexpected('withdrawDemand'),
    cancelStandingOrder: unexpected('cancelStandingOrder'),
    ...over,
  } as unknown as MarketApi;
  return { api, sent };
}

const demandForm = (over: Partial<DemandFormInput> = {}): DemandFormInput => ({
  ...emptyDemandForm(NOW, 'jin', '江西省南昌市红谷滩区红谷中大道 1368 号'),
  productCode: 'enoki',
  quantity: '60',
  maxPrice: '4.5',
  ...over,
});

describe('a restaurant’s purchase request', () => {
  it('reads 60 斤 at most ¥4.5/斤, tomorrow 08:00–10:00 in Nanchang, as grams, fen per kg, a UTC window and an address of its own', () => {
    const r = readDemandForm(demandForm({ fromTime: '08:00', note: ' 要小朵的 ' }), NOW);
    expect(r).toEqual({
      ok: true,
      body: {
        productCode: 'enoki',
        quantityGrams: 30_000,
        maxPriceFenPerKg: 900,
        deliverFrom: '2026-11-27T00:00:00.000Z',
        neededBy: '2026-11-27T02:00:00.000Z',
        deliveryRequired: true,
        deliveryAddress: '江西省南昌市红谷滩区红谷中大道 1368 号',
        note: '要小朵的',
      },
    });
  });

  it('reads 2 吨 at ¥9/公斤 with no address and no start time as a pick-up any time before, with no note', () => {
    const r = readDemandForm(
      demandForm({ quantity: '2', unit: 't', maxPrice: '9', priceUnit: 'kg', address: ' ' }),
      NOW,
    );
    expect(r.ok && r.body).toMatchObject({ quantityGrams: 2_000_000, maxPriceFenPerKg: 900, deliveryRequired: false });
    for (const field of ['note', 'deliveryAddress', 'deliverFrom']) expect(r.ok && field in r.body).toBe(false);
  });

  it('says when the goods are wanted in Shanghai time: a window on one day, or only the latest time', () => {
    expect(
      deliveryWindowText(t, { deliverFrom: '2026-11-27T00:00:00.000Z', neededBy: '2026-11-27T02:00:00.000Z' }),
    ).toBe('11/27 08:00–10:00 送到');
    expect(
      deliveryWindowText(t, { deliverFrom: '2026-11-26T14:00:00.000Z', neededBy: '2026-11-27T02:00:00.000Z' }),
    ).toBe('11/26 22:00–11/27 10:00 送到');
    expect(deliveryWindowText(t, { neededBy: '2026-11-27T02:00:00.000Z' })).toBe('11/27 10:00 前送到');
  });

  it('refuses an address longer than the server takes, next to the address', () => {
    const r = readDemandForm(demandForm({ address: '路'.repeat(201) }), NOW);
    expect(r).toMatchObject({
      ok: false,
      fields: { address: { key: 'market.demand.error.addressLong', params: { n: 200 } } },
    });
  });

  it('names each bad input: no product, a weight that is not one, a time already past, a window the wrong way round', () => {
    const r = readDemandForm(
      demandForm({ productCode: '', quantity: '六十', date: '2026-11-26', byTime: '09:00', fromTime: '11:00' }),
      NOW,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fields).sort()).toEqual(['date', 'fromTime', 'productCode', 'quantity']);
    expect(r.fields.date).toEqual({ key: 'market.demand.error.past', params: undefined });
  });

  it('posts what was read, and puts the new request on the list', async () => {
    const { api, sent } = fakeApi();
    const store = new DemandStore(api);
    const r = await store.postDemand(demandForm(), NOW);
    expect(r.ok).toBe(true);
    expect(sent.demand).toHaveLength(1);
    expect(sent.demand[0]).toMatchObject({ quantityGrams: 30_000, maxPriceFenPerKg: 900 });
    expect(store.state.mine.map((d) => d.id)).toEqual(['e'.repeat(24)]);
  });

  it('re-reads its own requests to show how much of each is filled', async () => {
    const { api } = fakeApi({
      myDemand: async () => ({
        ok: true as const,
        data: { items: [aDemand({ status: 'filled', filledGrams: 30_000 })], nextCursor: null },
      }),
    });
    const store = new DemandStore(api);
    await store.refreshMine();
    expect(store.state.mine.map((d) => [d.status, d.filledGrams])).toEqual([['filled', 30_000]]);
  });

  it('sends nothing when the form is wrong', async () => {
    const { api, sent } = fakeApi();
    const r = await new DemandStore(api).postDemand(demandForm({ maxPrice: '4.555' }), NOW);
    expect(r).toMatchObject({ ok: false, error: null, fields: { maxPrice: { key: 'market.error.price' } } });
    expect(sent.demand).toHaveLength(0);
  });

  it('shows a field the server refuses (400 VALIDATION) next to the input it came from', async () => {
    const { api } = fakeApi({
      postDemand: async () =>
        failure(400, 'VALIDATION', {
          neededBy: 'must be an ISO 8601 date-time',
          maxPriceFenPerKg: 'must be whole fen',
        }),
    });
    const r = await new DemandStore(api).postDemand(demandForm(), NOW);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error?.code).toBe('VALIDATION');
    expect(Object.keys(r.fields).sort()).toEqual(['date', 'maxPrice']);
  });

  it("shows the server's window and address refusals on the start time and the address", async () => {
    const window = await new DemandStore(
      fakeApi({
        postDemand: async () =>
          failure(422, 'WINDOW_ENDS_BEFORE_START', { deliverFrom: 'deliverFrom must be before neededBy' }),
      }).api,
    ).postDemand(demandForm(), NOW);
    expect(window).toMatchObject({ ok: false, fields: { fromTime: { key: 'market.demand.error.window' } } });
    const address = await new DemandStore(
      fakeApi({ postDemand: async () => failure(422, 'DELIVERY_ADDRESS_REQUIRED', { deliveryAddress: 'required' }) })
        .api,
    ).postDemand(demandForm(), NOW);
    expect(address).toMatchObject({ ok: false, fields: { address: { key: 'market.demand.error.addressNeeded' } } });
  });
});

const standingForm = (over: Partial<StandingFormInput> = {}): StandingFormInput => ({
  ...emptyStandingForm(NOW, 'kg'),
  sellerOrgId: FARM,
  productCode: 'shiitake',
  quantity: '50',
  price: '12',
  weekdays: [5, 2],
  ...over,
});

describe('a standing order proposed to a farm', () => {
  it('reads 50 公斤 every Tuesday and Friday at ¥12/公斤, up to +20 % at 10 % off, from tomorrow', () => {
    expect(readStandingForm(standingForm(), NOW)).toEqual({
      ok: true,
      body: {
        sellerOrgId: FARM,
        productCode: 'shiitake',
        gramsPerOccurrence: 50_000,
        weekdays: [2, 5],
        priceFenPerKg: 1200,
        startDate: '2026-11-27',
        deliverBy: '10:00',
        tolerance: { extraPercent: 20, discountPercent: 10 },
      },
    });
  });

  it('leaves the tolerance out when it is switched off, and reads prices per 斤', () => {
    const r = readStandingForm(
      standingForm({ tolerance: false, price: '6', priceUnit: 'jin', endDate: '2027-02-28' }),
      NOW,
    );
    expect(r.ok && r.body).toMatchObject({ priceFenPerKg: 1200, endDate: '2027-02-28' });
    expect(r.ok && 'tolerance' in r.body).toBe(false);
  });

  it('names each bad input: no farm, no weekday, an end before the start, a discount above 90 %', () => {
    const r = readStandingForm(
      standingForm({ sellerOrgId: '', weekdays: [], endDate: '2026-11-20', discountPercent: '95' }),
      NOW,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fields).sort()).toEqual(['discountPercent', 'endDate', 'sellerOrgId', 'weekdays']);
  });

  it('sends the proposal and lists it as waiting for the farm', async () => {
    const { api, sent } = fakeApi();
    const store = new DemandStore(api);
    await store.loadRestaurant();
    expect(store.state.farms.map((f) => f.region)).toEqual(['吉安市新干县']);
    const r = await store.proposeStandingOrder(standingForm(), NOW);
    expect(r.ok).toBe(true);
    expect(sent.standing[0].weekdays).toEqual([2, 5]);
    expect(store.state.standing.map(standingStatus)).toEqual(['proposed']);
  });

  it('puts a farm the server will not accept on the farm picker', async () => {
    const { api } = fakeApi({
      proposeStandingOrder: async () => failure(409, 'COUNTERPARTY_NOT_VERIFIED', { sellerOrgId: 'not verified' }),
    });
    const r = await new DemandStore(api).proposeStandingOrder(standingForm(), NOW);
    expect(r.ok === false && r.fields.sellerOrgId).toEqual({
      key: 'market.standing.error.farmNotTrading',
      params: undefined,
    });
  });

  it('shows the farm’s answer: proposed, accepted, declined or cancelled', () => {
    expect(
      (['proposed', 'active', 'declined', 'cancelled'] as const).map((status) => standingStatus({ status })),
    ).toEqual(['proposed', 'active', 'declined', 'cancelled']);
  });
});

describe('a farm’s sell offer on a demand', () => {
  const show = { weight: (g: number) => `${g / 500}斤`, price: (f: number) => `¥${(f / 200).toFixed(2)}/斤` };

  it('lists demand soonest needed first', async () => {
    const store = new DemandStore(fakeApi().api);
    await store.loadOpen();
    expect(store.state.open.map((d) => d.id)).toEqual(['1'.repeat(24), '2'.repeat(24)]);
  });

  it('offers only lots of the same product that are open, have stock and keep until the demand is due', () => {
    const demand = aDemand();
    const lots = [
      aLot({ id: '1'.repeat(24) }),
      aLot({ id: '2'.repeat(24), productCode: 'shiitake' }),
      aLot({ id: '3'.repeat(24), expiresAt: '2026-11-27T00:00:00.000Z' }),
      aLot({ id: '4'.repeat(24), status: 'sold_out', remainingGrams: 0 }),
    ];
    expect(lotsForDemand(demand, lots, NOW.getTime()).map((l) => l.id)).toEqual(['1'.repeat(24)]);
  });

  it('refuses more than the lot has left, or a price below the farm’s own lowest, before asking the server', async () => {
    const { api, sent } = fakeApi();
    const store = new DemandStore(api);
    const lot = aLot();
    const tooMuch = await store.sellOffer(
      aDemand(),
      { lotId: lot.id, quantity: '50', unit: 'jin', price: '4.5', priceUnit: 'jin' },
      lot,
      show,
    );
    expect(tooMuch).toMatchObject({
      ok: false,
      fields: { quantity: { key: 'market.sell.error.moreThanLot', params: { w: '40斤' } } },
    });
    const tooCheap = await store.sellOffer(
      aDemand(),
      { lotId: lot.id, quantity: '40', unit: 'jin', price: '3.5', priceUnit: 'jin' },
      lot,
      show,
    );
    expect(tooCheap).toMatchObject({
      ok: false,
      fields: { price: { key: 'market.sell.error.belowReserve', params: { p: '¥4.00/斤' } } },
    });
    expect(sent.offers).toHaveLength(0);
  });

  it('refuses more than a partly filled request still wants', async () => {
    const { api, sent } = fakeApi();
    const lot = aLot();
    const r = await new DemandStore(api).sellOffer(
      aDemand({ filledGrams: 25_000 }),
      { lotId: lot.id, quantity: '12', unit: 'jin', price: '4.5', priceUnit: 'jin' },
      lot,
      show,
    );
    expect(r).toMatchObject({
      ok: false,
      fields: { quantity: { key: 'market.sell.error.moreThanWanted', params: { w: '10斤' } } },
    });
    expect(sent.offers).toHaveLength(0);
  });

  it('sends 40 斤 at ¥4.5/斤 from the chosen lot; a demand that closed meanwhile leaves the list', async () => {
    const { api, sent } = fakeApi();
    const store = new DemandStore(api);
    await store.loadOpen();
    const demand = store.state.open[0];
    const lot = aLot();
    const r = await store.sellOffer(
      demand,
      { lotId: lot.id, quantity: '40', unit: 'jin', price: '4.5', priceUnit: 'jin' },
      lot,
      show,
    );
    expect(sent.offers).toEqual([
      { demandId: demand.id, body: { lotId: lot.id, quantityGrams: 20_000, priceFenPerKg: 900 } },
    ]);
    expect(r).toMatchObject({ ok: false, error: { code: 'DEMAND_CLOSED' } });
    expect(store.state.open.map((d) => d.id)).toEqual(['2'.repeat(24)]);
  });

  it('puts the server’s PRICE_BELOW_RESERVE on the price input', async () => {
    const { api } = fakeApi({
      offerToDemand: async () => failure(422, 'PRICE_BELOW_RESERVE', { priceFenPerKg: 'below the reserve' }),
    });
    const lot = aLot({ reservePriceFenPerKg: 100 });
    const r = await new DemandStore(api).sellOffer(
      aDemand(),
      { lotId: lot.id, quantity: '40', unit: 'jin', price: '4.5', priceUnit: 'jin' },
      lot,
      show,
    );
    expect(r.ok === false && r.fields).toEqual({
      price: { key: 'market.code.PRICE_BELOW_RESERVE', params: undefined },
    });
  });
});

describe('the demand page’s address', () => {
  it('is #/market/demand', () => {
    expect(parseMarketPath('/market/demand')).toEqual({ name: 'demand' });
  });
});

describe('demand lists a page at a time', () => {
  // Open demand soonest needed first, as the server pages it: three rows, two a page.
  const at = (h: number) => new Date(Date.parse('2026-11-29T00:00:00.000Z') + h * 3_600_000).toISOString();
  const rows = [aDemand({ id: 'a'.repeat(24), neededBy: at(1) }), aDemand({ id: 'b'.repeat(24), neededBy: at(2) })];
  const third = aDemand({ id: 'c'.repeat(24), neededBy: at(3) });

  it('reads the next page once, appends it, and knows when it has read everything', async () => {
    const asked: (string | undefined)[] = [];
    const { api } = fakeApi({
      openDemand: async (query = {}) => {
        asked.push(query.cursor);
        return query.cursor === 'p2'
          ? { ok: true as const, data: { items: [rows[1], third], nextCursor: null } }
          : { ok: true as const, data: { items: rows, nextCursor: 'p2' } };
      },
    });
    const store = new DemandStore(api);
    await store.loadOpen();
    expect(store.state.openNext).toBe('p2');
    await Promise.all([store.moreOpen(), store.moreOpen()]);
    expect(asked).toEqual([undefined, 'p2']);
    expect(store.state.open.map((d) => d.id)).toEqual([rows[0].id, rows[1].id, third.id]);
    expect(store.state.openNext).toBeNull();
    await store.moreOpen();
    expect(asked).toHaveLength(2);
  });

  it('keeps the pages read beyond the first when the first is read again (the page came back into view)', async () => {
    let firstPage = { items: rows, nextCursor: 'p2' as string | null };
    const { api } = fakeApi({
      openDemand: async (query = {}) =>
        query.cursor === 'p2'
          ? { ok: true as const, data: { items: [third], nextCursor: 'p3' } }
          : { ok: true as const, data: firstPage },
    });
    const store = new DemandStore(api);
    await store.loadOpen();
    await store.moreOpen();
    // Meanwhile the first row was filled and a new one, needed sooner, was posted.
    const sooner = aDemand({ id: 'd'.repeat(24), neededBy: at(0) });
    firstPage = { items: [sooner, rows[1]], nextCursor: 'p2-again' };
    await store.loadOpen();
    expect(store.state.open.map((d) => d.id)).toEqual([sooner.id, rows[1].id, third.id]);
    expect(store.state.openNext).toBe('p3');
    // When the first page is the whole list, it is the list.
    firstPage = { items: [rows[1]], nextCursor: null };
    await store.loadOpen();
    expect(store.state.open.map((d) => d.id)).toEqual([rows[1].id]);
    expect(store.state.openNext).toBeNull();
  });
});
