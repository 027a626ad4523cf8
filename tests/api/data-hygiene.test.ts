import { startTestApp, type TestApp } from '../fixtures/test-app';
import { aChamberUser, aFarm } from '../fixtures/accounts';
import { loadConfig } from '../../server/config';
import { createNotificationsFeature } from '../../server/features/notifications/notifications.module';

/**
 * Input MongoDB cannot store is refused with 400 naming the field; stored data that must not grow
 * forever expires; the sweep repairs a lot a crash left open with nothing left.
 */
let app: TestApp;
// The app's time starts at the real now (whole seconds): the database's TTL monitor runs on the real clock,
// and a fixed date would one day put what these tests store behind it.
let currentTime = new Date(Math.floor(Date.now() / 1000) * 1000);
beforeAll(async () => {
  app = await startTestApp({ now: () => currentTime });
});
afterAll(async () => {
  await app.close();
});

interface ErrorBody {
  error: { code: string; fields?: Record<string, string> };
}

describe('strings MongoDB cannot store', () => {
  it('when an admin searches organisations for a NUL, then it is 400 naming q, not 500', async () => {
    const admin = await aChamberUser(app, { admin: true });
    const r = await admin.agent.get<ErrorBody>('/api/admin/organisations?q=%00');
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'VALIDATION', fields: { q: expect.stringMatching(/NUL/) } });
    expect((await admin.agent.get('/api/admin/organisations?q=abc')).status).toBe(200);
  });

  it('when a JSON body has a NUL in a key or a nested value, then it is 400 naming that field', async () => {
    const farm = await aFarm(app);
    const key = await farm.agent.post<ErrorBody>('/api/lots', { productCode: 'shiitake', ['a\u0000b']: 1 });
    expect(key.status).toBe(400);
    expect(key.body.error.fields).toEqual({ 'a\u0000b': expect.stringMatching(/NUL/) });
    const nested = await farm.agent.post<ErrorBody>('/api/lots', { pickup: { name: 'x\u0000y' } });
    expect(nested.status).toBe(400);
    expect(nested.body.error.fields).toEqual({ 'pickup.name': expect.stringMatching(/NUL/) });
  });

  it('when the path carries an encoded NUL, then it is 400, not 500', async () => {
    const farm = await aFarm(app);
    const r = await farm.agent.get<ErrorBody>('/api/lots/%00');
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toEqual({ path: expect.stringMatching(/NUL/) });
  });
});

describe('retention', () => {
  it('keeps notifications 90 days by default, configurable with NOTIFICATION_RETENTION_DAYS', () => {
    expect(loadConfig({}).notificationRetentionDays).toBe(90);
    expect(loadConfig({ NOTIFICATION_RETENTION_DAYS: '30' }).notificationRetentionDays).toBe(30);
    expect(() => loadConfig({ NOTIFICATION_RETENTION_DAYS: '0' })).toThrow(/NOTIFICATION_RETENTION_DAYS/);
  });

  it('has a TTL index on every collection that would otherwise grow forever', async () => {
    await app.handle.ready;
    const ttl = async (collection: string) =>
      (await app.db.connection.collection(collection).indexes()).filter((i) => i.expireAfterSeconds !== undefined);
    // A session and an API token must have been created for their collections to exist.
    const farm = await aFarm(app);
    await farm.agent.post('/api/tokens', { name: 'pos', expiresInDays: 30 });
    expect(await ttl('notifications')).toEqual([
      expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }),
    ]);
    expect(await ttl('sessions')).toEqual([expect.objectContaining({ key: { expires: 1 }, expireAfterSeconds: 0 })]);
    expect(await ttl('ratelimits')).toEqual([
      expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }),
    ]);
    expect(await ttl('apitokens')).toEqual([expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 })]);
  });

  it('stamps a stored notification to expire the configured number of days after it was sent', async () => {
    const days = 90;
    const feature = createNotificationsFeature({
      connection: app.db.connection,
      now: () => currentTime,
      logger: { error: () => undefined },
      retentionMs: days * 24 * 60 * 60 * 1000,
    });
    await feature.ready;
    const seq = await feature.service.record('org:retention-test', 'lot:created', { lotId: 'x' });
    const stored = await app.db.connection
      .collection('notifications')
      .findOne({ recipient: 'org:retention-test', seq });
    expect(stored?.expiresAt).toEqual(new Date(currentTime.getTime() + days * 24 * 60 * 60 * 1000));
  });
});

describe('the sweep repairs a lot left open with 0 g', () => {
  const lotBody = {
    productCode: 'shiitake',
    quantityGrams: 100_000,
    harvestedAt: new Date(currentTime.getTime() - 2 * 3_600_000).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1400,
  };

  it('when a lot has 0 g left and no pending order, then the sweep marks it sold_out; with a pending order it waits', async () => {
    const farm = await aFarm(app);
    const lots = app.db.connection.collection<{ _id: string; status: string; remainingGrams: number }>('lots');
    const orders = app.db.connection.collection('orders');
    const crashed = await farm.agent.post<{ id: string }>('/api/lots', lotBody);
    const waiting = await farm.agent.post<{ id: string }>('/api/lots', lotBody);
    expect(crashed.status).toBe(201);
    // What a kill -9 between taking the last grams and marking the lot leaves behind.
    await lots.updateMany({ _id: { $in: [crashed.body.id, waiting.body.id] } }, { $set: { remainingGrams: 0 } });
    await orders.insertOne({ _id: 'pending-order', lotId: waiting.body.id, status: 'pending' } as never);

    const report = await app.handle.market.jobs.runOnce();
    expect(report.soldOutLots).toBe(1);
    expect(await lots.findOne({ _id: crashed.body.id })).toMatchObject({ status: 'sold_out', remainingGrams: 0 });
    expect(await lots.findOne({ _id: waiting.body.id })).toMatchObject({ status: 'open' });
    await orders.deleteOne({ _id: 'pending-order' } as never);
    currentTime = new Date(currentTime.getTime() + 1000);
  });
});
