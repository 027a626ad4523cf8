/** The chamber's read-only plans page store: farms ranked by unsold produce, one farm at a time, status filter. */
import { ChamberPlansStore, countByStatus, farmRows, type ChamberPlansApi } from '../../client/src/state/chamber-plans';
import type { ApiResult } from '../../client/src/state/api-result';
import type { MarketOutlook, OutlookDay, StandingOrder } from '../../client/src/state/market-types';

const A = 'a'.repeat(24);
const B = 'b'.repeat(24);
const ok = <T>(data: T): Promise<ApiResult<T>> => Promise.resolve({ ok: true, data });
const day = (date: string, surplus: number, shortfall = 0) => ({
  date,
  totalSurplusGrams: surplus,
  totalCommittedGrams: 0,
  shortfallGrams: shortfall,
});
const outlookDay = (date: string): OutlookDay => ({
  date,
  weekday: 4,
  lines: [],
  totalSurplusGrams: 0,
  totalCommittedGrams: 0,
  dispatchOverGrams: 0,
  storableSurplusGrams: 0,
});
const market: MarketOutlook = {
  days: [outlookDay('2026-11-26')],
  farms: [
    { orgId: A, days: [day('2026-11-26', 10_000)] },
    { orgId: B, days: [day('2026-11-26', 40_000, 5_000)] },
  ],
};
const standing = (id: string, status: StandingOrder['status']): StandingOrder => ({
  id,
  buyerOrgId: A,
  createdBy: 'u',
  productCode: 'shiitake',
  gramsPerOccurrence: 1000,
  weekdays: [1],
  priceFenPerKg: 1000,
  startDate: '2026-11-26',
  deliverBy: '10:00',
  status,
  createdAt: '2026-11-26T00:00:00.000Z',
  updatedAt: '2026-11-26T00:00:00.000Z',
});

function fakeApi(over: Partial<ChamberPlansApi> = {}): ChamberPlansApi & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    farms: () =>
      ok({
        items: [
          { id: A, name: '绿源合作社', region: '新干县' },
          { id: B, name: '青山农场', region: '峡江县' },
        ],
        nextCursor: null,
      }),
    marketOutlook: () => ok(market),
    capacityOf: (orgId) => {
      asked.push(orgId);
      return orgId === A
        ? Promise.resolve({ ok: false, error: { status: 404, code: 'NOT_FOUND', message: '', fields: {} } })
        : ok({
            orgId,
            production: [],
            coldStorageGrams: 0,
            dispatchGramsPerDay: 0,
            updatedAt: '2026-11-26T00:00:00.000Z',
            updatedBy: 'u',
          });
    },
    outlookOf: (orgId) =>
      orgId === A
        ? Promise.resolve({ ok: false, error: { status: 404, code: 'NOT_FOUND', message: '', fields: {} } })
        : ok({ days: [outlookDay('2026-11-26')] }),
    standingOrders: () =>
      ok({
        items: [standing('s1', 'proposed'), standing('s2', 'active'), standing('s3', 'active')],
        nextCursor: null,
      }),
    openDemand: () => ok({ items: [], nextCursor: null }),
    ...over,
  };
}

describe('the chamber’s plans page', () => {
  it('ranks farms by what they have left to sell, with names from the farm list', () => {
    const rows = farmRows(market, [{ id: A, name: '绿源合作社', region: '' }]);
    expect(rows.map((r) => [r.name, r.surplusGrams, r.shortfallGrams])).toEqual([
      [B, 40_000, 5_000],
      ['绿源合作社', 10_000, 0],
    ]);
  });

  it('opens on the farm with the most unsold produce and shows its plan', async () => {
    const api = fakeApi();
    const store = new ChamberPlansStore(api, async () => new Map());
    await store.load();
    expect(api.asked).toEqual([B]);
    expect(store.state).toMatchObject({
      selected: B,
      noCapacity: false,
      error: null,
      farmDays: [{ date: '2026-11-26' }],
    });
  });

  it('says a farm has no capacity (404) instead of showing an error', async () => {
    const store = new ChamberPlansStore(fakeApi(), async () => new Map());
    await store.load();
    await store.select(A);
    expect(store.state).toMatchObject({ selected: A, capacity: null, noCapacity: true, error: null });
  });

  it('keeps the later choice when an earlier farm’s answer arrives last', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const api = fakeApi({
      capacityOf: (orgId) =>
        orgId === A
          ? slow.then(() =>
              ok({
                orgId: A,
                production: [],
                coldStorageGrams: 1,
                dispatchGramsPerDay: 1,
                updatedAt: '',
                updatedBy: '',
              }),
            )
          : fakeApi().capacityOf(orgId),
    });
    const store = new ChamberPlansStore(api, async () => new Map());
    const first = store.select(A);
    await store.select(B);
    release();
    await first;
    expect(store.state.selected).toBe(B);
    expect(store.state.capacity?.orgId).toBe(B);
  });

  it('filters standing orders by status and counts each', async () => {
    const store = new ChamberPlansStore(fakeApi(), async () => new Map());
    await store.load();
    expect(countByStatus(store.state.standing)).toEqual({ proposed: 1, active: 2, declined: 0, cancelled: 0 });
    store.filter('active');
    expect(store.shownStanding.map((s) => s.id)).toEqual(['s2', 's3']);
    store.filter('all');
    expect(store.shownStanding).toHaveLength(3);
  });

  it('a reload answered late does not take back the fresher standing orders a later reload showed', async () => {
    const answers: ((items: StandingOrder[]) => void)[] = [];
    const store = new ChamberPlansStore(
      fakeApi({
        standingOrders: () =>
          new Promise((resolve) => answers.push((items) => resolve({ ok: true, data: { items, nextCursor: null } }))),
      }),
      async () => new Map(),
    );
    const first = store.load();
    const second = store.load();
    answers[1]([{ ...standing('s1', 'active'), version: 2 }]);
    await second;
    answers[0]([{ ...standing('s1', 'proposed'), version: 1 }]);
    await first;
    expect(store.state.standing.map((s) => [s.status, s.version])).toEqual([['active', 2]]);
  });

  it('looks up buyer names only for open demand that does not name its buyer', async () => {
    let lookups = 0;
    const names = async () => {
      lookups += 1;
      return new Map([[A, '湘味小馆']]);
    };
    await new ChamberPlansStore(fakeApi(), names).load();
    expect(lookups).toBe(0);
    const store = new ChamberPlansStore(
      fakeApi({
        openDemand: () =>
          ok({
            items: [
              {
                id: 'd',
                buyerOrgId: A,
                createdBy: 'u',
                productCode: 'shiitake',
                quantityGrams: 1,
                maxPriceFenPerKg: 1,
                neededBy: '',
                deliveryRequired: false,
                status: 'open',
                createdAt: '',
                updatedAt: '',
              },
            ],
            nextCursor: null,
          }),
      }),
      names,
    );
    await store.load();
    expect(store.state.names.get(A)).toBe('湘味小馆');
    expect(lookups).toBe(1);
  });

  it('does not look names up when every demand names its buyer', async () => {
    let lookups = 0;
    const names = async () => {
      lookups += 1;
      return new Map<string, string>();
    };
    const named = {
      id: 'd',
      buyerOrgId: A,
      buyerName: '湘味小馆',
      createdBy: 'u',
      productCode: 'shiitake',
      quantityGrams: 1,
      maxPriceFenPerKg: 1,
      neededBy: '',
      deliveryRequired: false,
      status: 'open' as const,
      createdAt: '',
      updatedAt: '',
    };
    await new ChamberPlansStore(fakeApi({ openDemand: () => ok({ items: [named], nextCursor: null }) }), names).load();
    expect(lookups).toBe(0);
  });
});
