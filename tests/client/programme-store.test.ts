/** The campaign page's store: it watches the campaign, a live event replaces the progress at once, then it re-reads. */
import type { CampaignProgressEvent } from '../../shared/schemas/programme';
import {
  CampaignStore,
  parseProgrammePath,
  programmeHref,
  type CampaignChannel,
  type CampaignView,
  type ProgrammeApi,
} from '../../client/src/state/programme';

const ID = 'a'.repeat(24);
const progress = (valueFen: number) => ({ valueFen, grams: valueFen * 10, orders: 1, buyers: 1 });

function fakeApi(values: number[]) {
  let reads = 0;
  const api = {
    campaign: async () => {
      const valueFen = values[Math.min(reads++, values.length - 1)];
      return {
        ok: true as const,
        data: { campaign: { id: ID, name: '行动', progress: progress(valueFen) } as CampaignView },
      };
    },
    orders: async () => ({ ok: true as const, data: { items: [], nextCursor: null, total: 0 } }),
  };
  return { api: api as unknown as ProgrammeApi, reads: () => reads };
}

function fakeChannel(): CampaignChannel & { watched: string[]; emit(e: CampaignProgressEvent): void } {
  const listeners = new Set<(e: CampaignProgressEvent) => void>();
  const watched: string[] = [];
  return {
    watched,
    watch: (id) => void watched.push(id),
    onProgress: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit: (e) => listeners.forEach((l) => l(e)),
  };
}

it('watches the campaign it opens and applies its live progress, ignoring other campaigns', async () => {
  const { api, reads } = fakeApi([0, 600]);
  const channel = fakeChannel();
  const store = new CampaignStore(api);
  await store.open(ID, channel);
  expect(channel.watched).toEqual([ID]);
  expect(store.state.campaign?.progress.valueFen).toBe(0);

  channel.emit({ campaignId: 'b'.repeat(24), progress: progress(999), orderId: 'o', change: 'confirmed', at: '' });
  expect(store.state.campaign?.progress.valueFen).toBe(0);

  channel.emit({ campaignId: ID, progress: progress(600), orderId: 'o1', change: 'confirmed', at: '' });
  expect(store.state.campaign?.progress.valueFen).toBe(600);
  expect(store.state.lastChange?.orderId).toBe('o1');
  await new Promise((r) => setTimeout(r, 0));
  expect(reads()).toBe(2);

  store.close();
  channel.emit({ campaignId: ID, progress: progress(1), orderId: 'o2', change: 'cancelled', at: '' });
  expect(store.state.campaign?.progress.valueFen).toBe(600);
});

it('reads and writes the programme routes', () => {
  for (const route of [
    { name: 'list' },
    { name: 'new' },
    { name: 'pairings' },
    { name: 'dashboard' },
    { name: 'campaign', id: ID },
    { name: 'poster', id: ID },
  ] as const)
    expect(parseProgrammePath(programmeHref(route).slice(1))).toEqual(route);
  expect(parseProgrammePath('/programme/campaigns/nope')).toBeNull();
});

it('reads the campaign’s orders a page at a time; a live change re-reads the first page and keeps the rest', async () => {
  const row = (n: number) => ({
    id: String(n).padStart(24, '0'),
    buyerName: '食堂',
    sellerName: '农场',
    productCode: 'shiitake',
    quantityGrams: 1000,
    totalFen: 1000,
    confirmedAt: new Date(Date.UTC(2026, 11, 1, 0, 0) + n * 60_000).toISOString(),
  });
  // 5 orders, newest first; pages of 2
  let all = [5, 4, 3, 2, 1].map(row);
  const asked: (string | undefined)[] = [];
  const api = {
    campaign: async () => ({
      ok: true as const,
      data: { campaign: { id: ID, name: '行动', progress: progress(0) } as CampaignView },
    }),
    orders: async (_id: string, cursor?: string) => {
      asked.push(cursor);
      const start = cursor ? Number(cursor) : 0;
      const items = all.slice(start, start + 2);
      return {
        ok: true as const,
        data: { items, nextCursor: start + 2 < all.length ? String(start + 2) : null, total: all.length },
      };
    },
  } as unknown as ProgrammeApi;
  const store = new CampaignStore(api);
  await store.open(ID, null);
  expect(store.state.orders.map((o) => Number(o.id))).toEqual([5, 4]);
  await store.moreOrders();
  await store.moreOrders();
  expect(store.state.orders.map((o) => Number(o.id))).toEqual([5, 4, 3, 2, 1]);
  expect(store.state.ordersNext).toBeNull();
  await store.moreOrders(); // nothing more to read
  expect(asked).toEqual([undefined, '2', '4']);
  // an order confirmed now: the first page is read again, the older pages stay shown
  all = [6, 5, 4, 3, 2, 1].map(row);
  await store.reload();
  expect(store.state.orders.map((o) => Number(o.id))).toEqual([6, 5, 4, 3, 2, 1]);
});
