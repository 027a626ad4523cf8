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
    orders: async () => ({ ok: true as const, data: { items: [], total: 0 } }),
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
