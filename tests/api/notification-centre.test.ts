/**
 * The notification centre (docs/notifications.md): a person's notifications newest first, keyset-paged,
 * an unread count kept by a server-side read marker, "read up to" an instant — and only ever one's own.
 */
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { nextEvent, startTestApp, type TestApp } from '../fixtures/test-app';
import type {
  CentreItem,
  NotificationCentreResponse,
  NotificationsReadEvent,
  UnreadCount,
} from '../../shared/schemas/notifications';

let app: TestApp;
let farm: Member;
let cook: Member;
let otherFarm: Member;
let lotId: string;

interface Failure {
  error: { code: string; fields?: Record<string, string> };
}

beforeAll(async () => {
  app = await startTestApp();
  farm = await aFarm(app);
  cook = await aRestaurant(app);
  otherFarm = await aFarm(app);
  const lot = await farm.agent.post<{ id: string }>('/api/lots', {
    productCode: 'shiitake',
    quantityGrams: 500_000,
    harvestedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1400,
  });
  expect(lot.status).toBe(201);
  lotId = lot.body.id;
  await app.handle.notificationsIdle();
});
afterAll(async () => {
  await app.close();
});

async function bid(priceFenPerKg: number): Promise<string> {
  const r = await cook.agent.post<{ id: string }>(`/api/lots/${lotId}/bids`, { quantityGrams: 10_000, priceFenPerKg });
  expect(r.status).toBe(201);
  await app.handle.notificationsIdle();
  return r.body.id;
}

const unread = async (who: Member) => (await who.agent.get<UnreadCount>('/api/notifications/unread')).body.count;

async function allPages(who: Member, limit: number): Promise<CentreItem[]> {
  const items: CentreItem[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=${limit}&cursor=${cursor}` : `?limit=${limit}`;
    const page = await who.agent.get<NotificationCentreResponse>(`/api/notifications/centre${query}`);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

const offerIdOf = (item: CentreItem): unknown => (item.payload as { offerId?: unknown }).offerId;

describe('the notification centre', () => {
  it('when a restaurant bids, the farm has one more unread, listed first and marked unread', async () => {
    const before = await unread(farm);
    const offerId = await bid(1100);
    expect(await unread(farm)).toBe(before + 1);
    const page = await farm.agent.get<NotificationCentreResponse>('/api/notifications/centre?limit=5');
    expect(page.body.items[0]).toMatchObject({ type: 'market:update', read: false });
    expect(page.body.items[0].payload).toMatchObject({ type: 'offer:made', offerId });
    expect(page.body.unread.count).toBe(before + 1);
  });

  it('pages newest first with the cursor, never repeating or skipping one', async () => {
    await bid(1150);
    await bid(1200);
    const whole = (await farm.agent.get<NotificationCentreResponse>('/api/notifications/centre?limit=200')).body.items;
    expect(whole.length).toBeGreaterThanOrEqual(4);
    const paged = await allPages(farm, 2);
    expect(paged.map((i) => i.id)).toEqual(whole.map((i) => i.id));
    const times = paged.map((i) => Date.parse(i.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('reading up to an instant clears what came before it, keeps what came after, and survives a new session', async () => {
    const seen = new Date().toISOString();
    // Stored times are whole milliseconds: a bid in the same millisecond would count as seen.
    await new Promise((r) => setTimeout(r, 5));
    const marked = await farm.agent.post<UnreadCount>('/api/notifications/read-up-to', { upTo: seen });
    expect(marked.status).toBe(200);
    expect(marked.body.count).toBe(0);

    const later = await bid(1250);
    expect(await unread(farm)).toBe(1);
    const [first, second] = (await farm.agent.get<NotificationCentreResponse>('/api/notifications/centre?limit=2')).body
      .items;
    expect(offerIdOf(first)).toBe(later);
    expect(first.read).toBe(false);
    expect(second.read).toBe(true);

    // Another tab, or the same person after a reload: the same count, from the same marker.
    const secondTab = app.agent();
    await secondTab.login(farm.phone, farm.password);
    expect((await secondTab.get<UnreadCount>('/api/notifications/unread')).body.count).toBe(1);
    await secondTab.post('/api/notifications/read-up-to', { upTo: new Date().toISOString() });
    expect(await unread(farm)).toBe(0);
  });

  it('never moves the marker back: reading up to an earlier instant leaves the count as it was', async () => {
    await bid(1300);
    await farm.agent.post('/api/notifications/read-up-to', { upTo: new Date().toISOString() });
    const back = await farm.agent.post<UnreadCount>('/api/notifications/read-up-to', {
      upTo: new Date(Date.now() - 86_400_000).toISOString(),
    });
    expect(back.body.count).toBe(0);
  });

  it("shows only one's own notifications: another farm sees none of this lot's, and its reading changes nothing here", async () => {
    const theirs = await allPages(otherFarm, 50);
    expect(theirs.some((i) => (i.payload as { lotId?: unknown }).lotId === lotId)).toBe(false);
    await bid(1350);
    const mine = await unread(farm);
    expect(mine).toBe(1);
    await otherFarm.agent.post('/api/notifications/read-up-to', { upTo: new Date().toISOString() });
    await cook.agent.post('/api/notifications/read-up-to', { upTo: new Date().toISOString() });
    expect(await unread(farm)).toBe(mine);
  });

  it('answers 400 naming the field for a bad instant, cursor or limit, and 401 to nobody', async () => {
    const badTime = await farm.agent.post<Failure>('/api/notifications/read-up-to', { upTo: 'yesterday' });
    expect(badTime.status).toBe(400);
    expect(Object.keys(badTime.body.error.fields ?? {})).toEqual(['upTo']);
    const missing = await farm.agent.post<Failure>('/api/notifications/read-up-to', {});
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.error.fields ?? {})).toEqual(['upTo']);
    const extra = await farm.agent.post<Failure>('/api/notifications/read-up-to', {
      upTo: new Date().toISOString(),
      userId: cook.userId,
    });
    expect(extra.status).toBe(400);

    const badCursor = await farm.agent.get<Failure>('/api/notifications/centre?cursor=not-ours');
    expect(badCursor.status).toBe(400);
    expect(Object.keys(badCursor.body.error.fields ?? {})).toEqual(['cursor']);
    const badLimit = await farm.agent.get<Failure>('/api/notifications/centre?limit=0');
    expect(badLimit.status).toBe(400);
    expect(Object.keys(badLimit.body.error.fields ?? {})).toEqual(['limit']);

    const nobody = app.agent();
    expect((await nobody.get('/api/notifications/unread')).status).toBe(401);
    expect((await nobody.get('/api/notifications/centre')).status).toBe(401);
  });
});

describe('the read marker in the person’s other tabs', () => {
  it('when the farmer reads all in one tab, their other tabs hear the new markers and count; nobody else hears it', async () => {
    await bid(1300);
    expect(await unread(farm)).toBeGreaterThan(0);
    const [thisTab, otherTab, bystander] = await Promise.all([
      app.socket(farm.agent),
      app.socket(farm.agent),
      app.socket(cook.agent),
    ]);
    const heardByBystander: unknown[] = [];
    bystander.on('notifications:read', (e) => heardByBystander.push(e));
    const heard = [nextEvent(thisTab, 'notifications:read'), nextEvent(otherTab, 'notifications:read')];
    const marked = await farm.agent.post<UnreadCount>('/api/notifications/read-up-to', {
      upTo: new Date().toISOString(),
    });
    expect(marked.status).toBe(200);
    const events: NotificationsReadEvent[] = await Promise.all(heard);
    for (const event of events) {
      expect(event.unread).toEqual(marked.body);
      expect(event.unread.count).toBe(0);
      expect(event.readUpToSeq.org).toBeGreaterThan(0);
    }
    // A marker is not news: it is not stored, so it adds nothing to the list or the count.
    expect(await unread(farm)).toBe(0);
    const page = await farm.agent.get<NotificationCentreResponse>('/api/notifications/centre?limit=5');
    expect(page.body.items.every((i) => i.type !== 'notifications:read')).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(heardByBystander).toEqual([]);
  });

  it('marking one channel read (POST /api/notifications/read) tells the other tabs too', async () => {
    await bid(1350);
    const otherTab = await app.socket(farm.agent);
    const heard = nextEvent(otherTab, 'notifications:read');
    const feed = await farm.agent.get<{ latestSeq: number }>('/api/notifications?channel=org&afterSeq=0&limit=0');
    const r = await farm.agent.post('/api/notifications/read', { channel: 'org', upToSeq: feed.body.latestSeq });
    expect(r.status).toBe(200);
    const event = await heard;
    expect(event.readUpToSeq.org).toBe(feed.body.latestSeq);
  });
});
