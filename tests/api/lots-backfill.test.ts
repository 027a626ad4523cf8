/**
 * The start-up backfill (server/features/market/lots/lots.backfill.ts): lots stored before search and
 * distance sort get the catalogue's names and a pickup point, once, a bounded batch at a time; then the
 * board's text search and distance sort find them.
 */
import mongoose, { type Connection } from 'mongoose';
import { backfillLotSearchFields } from '../../server/features/market/lots/lots.backfill';
import { createLotsRepository, type LotsRepository } from '../../server/features/market/lots/lots.repository';
import { lotModel } from '../../server/features/market/lots/lots.model';
import { startTestDb, type TestDb } from '../fixtures/market-db';
import { T0, at, uniqueId } from '../fixtures/market';

let db: TestDb;
let connection: Connection;
let lots: LotsRepository;

beforeAll(async () => {
  db = await startTestDb();
  connection = mongoose.createConnection(db.server.uri, { dbName: uniqueId('backfill').replace(/\W/g, '_') });
  await connection.asPromise();
  await lotModel(connection).init();
  lots = createLotsRepository(connection);
});
afterAll(async () => {
  await connection.close();
  await db.close();
});

const FARM_WITH_LOCATION = 'farm-located';
const FARM_WITHOUT = 'farm-unlocated';
const farmLocation = async (orgId: string) => (orgId === FARM_WITH_LOCATION ? { lat: 27.75, lng: 115.4 } : undefined);

/** A lot document as stored before issue 11: no productNames, no pickupPoint. */
function legacyLot(id: string, over: Record<string, unknown> = {}) {
  return {
    _id: id,
    sellerOrgId: FARM_WITH_LOCATION,
    sellerName: '老农场',
    createdBy: 'u1',
    productCode: 'shiitake',
    quantityGrams: 100_000,
    remainingGrams: 100_000,
    harvestedAt: at(-2),
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1400,
    expiresAt: at(90),
    status: 'open',
    reservations: [],
    fencedOrderIds: [],
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

async function stored(id: string) {
  return connection.collection('lots').findOne<{ productNames?: string[]; pickupPoint?: unknown; updatedAt: Date }>({
    _id: id as never,
  });
}

describe('backfilling lots posted before search and distance sort', () => {
  it('gives old lots their product names and pickup point (own coordinates first), once', async () => {
    await connection
      .collection('lots')
      .insertMany([
        legacyLot('a-farm-point'),
        legacyLot('b-own-point', { pickup: { name: '村口', address: '新干县', lat: 27.8, lng: 115.5 } }),
        legacyLot('c-no-location', { sellerOrgId: FARM_WITHOUT, productCode: 'bok_choy' }),
      ] as never[]);

    const first = await backfillLotSearchFields({ lots, organisationLocation: farmLocation });
    expect(first).toEqual({ scanned: 3, productNames: 3, pickupPoints: 2, finished: true });
    expect(await stored('a-farm-point')).toMatchObject({
      productNames: ['鲜香菇', 'Fresh shiitake'],
      pickupPoint: { type: 'Point', coordinates: [115.4, 27.75] },
      updatedAt: T0,
    });
    expect((await stored('b-own-point'))?.pickupPoint).toEqual({ type: 'Point', coordinates: [115.5, 27.8] });
    // A farm without a location: names, but no point (as a new lot of that farm would get).
    const unlocated = await stored('c-no-location');
    expect(unlocated?.productNames).toEqual(expect.arrayContaining(['上海青']));
    expect(unlocated?.pickupPoint).toBeUndefined();

    // Run again (a restart, another node): nothing changes.
    const second = await backfillLotSearchFields({ lots, organisationLocation: farmLocation });
    expect(second).toEqual({ scanned: 1, productNames: 0, pickupPoints: 0, finished: true });

    // The board now finds them by product name and by distance.
    const found = await lots.list({ text: '香菇', limit: 10 });
    expect(found.map((l) => l.id).sort()).toEqual(['a-farm-point', 'b-own-point']);
    const near = await lots.list({ sort: 'distance', near: { lat: 27.8, lng: 115.5 }, limit: 10 });
    expect(near.map((l) => l.id)).toEqual(['b-own-point', 'a-farm-point']);
  });

  it('works a bounded number of batches per start, and the next start carries on', async () => {
    await connection.collection('lots').deleteMany({});
    await connection
      .collection('lots')
      .insertMany(['k1', 'k2', 'k3', 'k4', 'k5'].map((id) => legacyLot(id, { productCode: 'tofu' })) as never[]);
    const bounded = await backfillLotSearchFields({
      lots,
      organisationLocation: farmLocation,
      batchSize: 2,
      maxBatches: 1,
    });
    expect(bounded).toEqual({ scanned: 2, productNames: 2, pickupPoints: 2, finished: false });
    expect((await stored('k3'))?.productNames).toBeUndefined();
    const rest = await backfillLotSearchFields({ lots, organisationLocation: farmLocation, batchSize: 2 });
    expect(rest).toEqual({ scanned: 3, productNames: 3, pickupPoints: 3, finished: true });
    for (const id of ['k1', 'k2', 'k3', 'k4', 'k5']) expect((await stored(id))?.productNames).toHaveLength(2);
  });
});
