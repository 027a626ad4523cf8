/** The farm's plans page store: the capacity form in the farmer's unit, and consent to standing orders. */
import {
  FarmPlansStore,
  readCapacityForm,
  capacityFormFrom,
  type CapacityFormInput,
} from '../../client/src/state/farm-plans';
import type { MarketApi } from '../../client/src/state/market-api';
import type { FarmCapacity, StandingOrder } from '../../client/src/state/market-types';
import type { CapacityBody } from '../../shared/schemas/market';

const FARM = 'f'.repeat(24);
const COOK = 'c'.repeat(24);
const unexpected = (name: string) => () => Promise.reject(new Error(`unexpected call: ${name}`));

/** Every method rejects unless the test provides it: a test states exactly what the server does. */
function fakeMarketApi(over: Partial<MarketApi>): MarketApi {
  const names = [
    'catalogue',
    'lots',
    'lot',
    'postLot',
    'withdrawLot',
    'startClock',
    'take',
    'bid',
    'offers',
    'accept',
    'counter',
    'reject',
    'withdrawOffer',
    'orders',
    'orderAction',
    'order',
    'capacity',
    'outlook',
    'standingOrders',
    'putCapacity',
    'acceptStandingOrder',
    'declineStandingOrder',
    'cancelStandingOrder',
    'myDemand',
  ] as const;
  return { ...(Object.fromEntries(names.map((n) => [n, unexpected(n)])) as unknown as MarketApi), ...over };
}

const aStandingOrder = (over: Partial<StandingOrder> = {}): StandingOrder => ({
  id: 's'.repeat(24),
  buyerOrgId: COOK,
  sellerOrgId: FARM,
  productCode: 'shiitake',
  gramsPerOccurrence: 50_000,
  weekdays: [2, 5],
  priceFenPerKg: 1200,
  startDate: '2026-11-26',
  deliverBy: '10:00',
  status: 'proposed',
  buyerName: '九龙湖农家菜馆',
  createdBy: 'u'.repeat(24),
  createdAt: '2026-11-26T02:00:00.000Z',
  updatedAt: '2026-11-26T02:00:00.000Z',
  ...over,
});

const capacity: FarmCapacity = {
  orgId: FARM,
  updatedAt: '2026-11-26T02:00:00.000Z',
  updatedBy: 'u'.repeat(24),
  production: [
    { productCode: 'shiitake', dailyGrams: 1_400_000 },
    { productCode: 'oyster_mushroom', dailyGrams: 800_000, weekdays: [1, 3, 5] },
  ],
  coldStorageGrams: 6_000_000,
  dispatchGramsPerDay: 2_500_000,
  pickup: { name: '鑫源合作社冷库', address: '新干县金川镇' },
};

describe('the capacity form', () => {
  const form: CapacityFormInput = {
    unit: 'jin',
    production: [
      { productCode: 'shiitake', amount: '2800', weekdays: [] },
      { productCode: 'oyster_mushroom', amount: '1600.5', weekdays: [5, 1, 3] },
    ],
    coldStorage: '12000',
    dispatch: '0',
    pickupName: '',
    pickupAddress: '',
  };

  it('reads 斤 as integer grams; no weekdays ticked means every day; zero dispatch is allowed', () => {
    expect(readCapacityForm(form)).toEqual({
      ok: true,
      body: {
        production: [
          { productCode: 'shiitake', dailyGrams: 1_400_000 },
          { productCode: 'oyster_mushroom', dailyGrams: 800_250, weekdays: [1, 3, 5] },
        ],
        coldStorageGrams: 6_000_000,
        dispatchGramsPerDay: 0,
      },
    });
    expect(
      readCapacityForm({ ...form, unit: 't', production: [{ productCode: 'shiitake', amount: '1.4', weekdays: [] }] }),
    ).toMatchObject({ ok: true, body: { production: [{ dailyGrams: 1_400_000 }], coldStorageGrams: 12_000_000_000 } });
  });

  it('names each bad field by the path the API uses', () => {
    const r = readCapacityForm({
      ...form,
      production: [
        { productCode: '', amount: '20', weekdays: [] },
        { productCode: 'shiitake', amount: 'lots', weekdays: [] },
      ],
      coldStorage: '',
      pickupName: '湾里冷库',
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(Object.keys(r.fields).sort()).toEqual([
        'coldStorageGrams',
        'pickup.address',
        'production.0.productCode',
        'production.1.dailyGrams',
      ]);
  });

  it("is prefilled from the saved capacity in the farmer's unit, and reads back to the same body", () => {
    const prefilled = capacityFormFrom(capacity, 'jin');
    expect(prefilled.production.map((p) => p.amount)).toEqual(['2800', '1600']);
    const { orgId: _org, updatedAt: _at, updatedBy: _by, ...saved } = capacity;
    expect(readCapacityForm(prefilled)).toEqual({ ok: true, body: saved });
  });

  it("shows the server's field errors by their fields and keeps the form open", async () => {
    const sent: CapacityBody[] = [];
    const plans = new FarmPlansStore(
      fakeMarketApi({
        capacity: async () => ({ ok: true, data: capacity }),
        standingOrders: async () => ({ ok: true, data: { items: [], nextCursor: null } }),
        putCapacity: async (body) => {
          sent.push(body);
          return {
            ok: false,
            error: {
              status: 400,
              code: 'VALIDATION',
              message: '',
              fields: { 'production.0.dailyGrams': 'must be whole grams' },
            },
          };
        },
      }),
      FARM,
    );
    await plans.load();
    plans.edit('kg');
    plans.changeUnit('jin'); // 1400 kg → 2800 斤: the same weight
    expect(plans.state.form?.production[0].amount).toBe('2800');
    expect(await plans.save()).toBe(false);
    expect(sent[0].production[0].dailyGrams).toBe(1_400_000);
    expect(plans.state.errors).toEqual({ 'production.0.dailyGrams': { text: 'must be whole grams' } });
    expect(plans.state.form).not.toBeNull();
  });
});

describe('standing orders for the farm', () => {
  it('lists only those naming this farm; accepting one moves it from waiting to supplying', async () => {
    const accepted: string[] = [];
    const mine = aStandingOrder();
    const plans = new FarmPlansStore(
      fakeMarketApi({
        capacity: async () => ({ ok: false, error: { status: 404, code: 'NOT_FOUND', message: '', fields: {} } }),
        standingOrders: async () => ({
          ok: true,
          data: {
            items: [mine, aStandingOrder({ id: 'o'.repeat(24), sellerOrgId: 'e'.repeat(24) })],
            nextCursor: null,
          },
        }),
        acceptStandingOrder: async (id) => {
          accepted.push(id);
          return { ok: true, data: { ...mine, status: 'active', buyerName: undefined } };
        },
      }),
      FARM,
    );
    await plans.load();
    expect(plans.state.loadError).toBeNull();
    expect(plans.proposed.map((s) => s.id)).toEqual([mine.id]);
    expect(await plans.accept(mine.id)).toBe(true);
    expect(accepted).toEqual([mine.id]);
    expect(plans.proposed).toEqual([]);
    expect(plans.active.map((s) => [s.id, s.buyerName])).toEqual([[mine.id, '九龙湖农家菜馆']]);
    expect(plans.state.notice).toEqual({ kind: 'ok', key: 'market.standing.accepted' });
  });

  it('when the restaurant cancelled first, the farm is told and sees the order as it is now', async () => {
    let reads = 0;
    const plans = new FarmPlansStore(
      fakeMarketApi({
        capacity: async () => ({ ok: true, data: capacity }),
        standingOrders: async () => ({
          ok: true,
          data: { items: [aStandingOrder({ status: reads++ === 0 ? 'proposed' : 'cancelled' })], nextCursor: null },
        }),
        declineStandingOrder: async () => ({
          ok: false,
          error: { status: 409, code: 'WRONG_STATUS', message: 'The standing order is cancelled', fields: {} },
        }),
      }),
      FARM,
    );
    await plans.load();
    expect(await plans.decline('s'.repeat(24), '周末不采摘')).toBe(false);
    expect(plans.state.notice).toMatchObject({ kind: 'error', error: { code: 'WRONG_STATUS' } });
    expect(plans.proposed).toEqual([]);
  });

  it('a live proposal for this farm appears; one for another farm does not', async () => {
    const plans = new FarmPlansStore(
      fakeMarketApi({
        capacity: async () => ({ ok: true, data: capacity }),
        standingOrders: async () => ({ ok: true, data: { items: [], nextCursor: null } }),
      }),
      FARM,
    );
    await plans.load();
    plans.applyUpdate({
      type: 'standing-order:proposed',
      data: { standingOrder: aStandingOrder({ id: 'a'.repeat(24) }) },
      at: '',
    });
    plans.applyUpdate({
      type: 'standing-order:proposed',
      data: { standingOrder: aStandingOrder({ id: 'b'.repeat(24), sellerOrgId: 'e'.repeat(24) }) },
      at: '',
    });
    expect(plans.proposed.map((s) => s.id)).toEqual(['a'.repeat(24)]);
  });
  it('an event replayed after a reconnect does not bring back a proposal the farm already accepted', async () => {
    const proposed = aStandingOrder({ version: 1 });
    const plans = new FarmPlansStore(
      fakeMarketApi({
        capacity: async () => ({ ok: true, data: capacity }),
        standingOrders: async () => ({ ok: true, data: { items: [proposed], nextCursor: null } }),
        acceptStandingOrder: async () => ({ ok: true, data: { ...proposed, status: 'active', version: 2 } }),
      }),
      FARM,
    );
    await plans.load();
    await plans.accept(proposed.id);
    plans.applyUpdate({ type: 'standing-order:proposed', data: { standingOrder: proposed }, at: '' });
    expect(plans.active.map((s) => [s.id, s.version])).toEqual([[proposed.id, 2]]);
    plans.applyUpdate({
      type: 'standing-order:cancelled',
      data: { standingOrder: { ...proposed, status: 'cancelled', cancelledBy: 'buyer', version: 3 } },
      at: '',
    });
    expect(plans.state.standing.map((s) => [s.status, s.version])).toEqual([['cancelled', 3]]);
  });

  it('a list read that started before the restaurant cancelled does not bring the proposal back', async () => {
    const proposed = aStandingOrder({ version: 1 });
    let release: () => void = () => undefined;
    const plans = new FarmPlansStore(
      fakeMarketApi({
        capacity: async () => ({ ok: true, data: capacity }),
        standingOrders: () =>
          new Promise(
            (resolve) => (release = () => resolve({ ok: true, data: { items: [proposed], nextCursor: null } })),
          ),
      }),
      FARM,
    );
    const loading = plans.load();
    plans.applyUpdate({
      type: 'standing-order:cancelled',
      data: { standingOrder: { ...proposed, status: 'cancelled', cancelledBy: 'buyer', version: 2 } },
      at: '',
    });
    release();
    await loading;
    expect(plans.proposed).toEqual([]);
    expect(plans.state.standing.map((s) => [s.status, s.version])).toEqual([['cancelled', 2]]);
  });
});
