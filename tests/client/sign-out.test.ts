/**
 * Signing out with unsent actions (client/src/state/sign-out.ts): the person sees what would be lost and
 * chooses; nothing is signed out or forgotten until they do, and signing out clears their data on the phone.
 */
import { OutboxStore, type OutboxItem } from '../../client/src/state/outbox';
import { PendingStore, type KeyValue } from '../../client/src/state/pending';
import { SignOutStore, unsentActions } from '../../client/src/state/sign-out';
import { fail, ok } from '../../client/src/state/api-result';
import { claimLastRead, forgetLastRead } from '../../client/src/personal-data';

function memory(): KeyValue & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
  };
}

const lot = (key: string, at: number): OutboxItem => ({
  key,
  kind: 'lot',
  path: '/api/lots',
  body: { productCode: 'shiitake', quantityGrams: 50_000 },
  at,
});

function world() {
  const storage = memory();
  const outbox = new OutboxStore(async () => fail({ code: 'NETWORK' }), storage);
  const pending = new PendingStore(async () => ok({ items: [] }), storage);
  outbox.useFor('u1');
  pending.useFor('u1');
  const calls: string[] = [];
  const store = new SignOutStore({
    outbox,
    pending,
    signOut: async () => void calls.push('signOut'),
    forgetPersonalData: async () => {
      calls.push('forget');
      outbox.forget();
      pending.forget();
    },
  });
  return { storage, outbox, pending, store, calls };
}

describe('signing out with unsent actions', () => {
  it('signs out at once, and forgets the person’s data, when nothing is unsent', async () => {
    const { store, calls } = world();
    expect(await store.request()).toBe('signedOut');
    expect(calls).toEqual(['signOut', 'forget']);
    expect(store.state.asking).toBeNull();
  });

  it('lists what would be lost, oldest first, and does nothing until the person chooses', async () => {
    const { store, outbox, pending, calls } = world();
    expect(outbox.add(lot('lot-2', 2_000))).toBe(true);
    expect(outbox.add({ ...lot('rcpt-1', 1_000), kind: 'receipt', path: '/api/orders/o1/receive' })).toBe(true);
    pending.add('bid-3', 'bid', 3_000);

    expect(await store.request()).toBe('asking');
    expect(calls).toEqual([]);
    expect(store.state.asking?.map((a) => [a.key, a.state])).toEqual([
      ['rcpt-1', 'queued'],
      ['lot-2', 'queued'],
      ['bid-3', 'unknown'],
    ]);

    // 取消: still signed in, the actions still wait for the connection.
    store.cancel();
    expect(store.state.asking).toBeNull();
    expect(calls).toEqual([]);
    expect(outbox.state.items).toHaveLength(2);
  });

  it('仍要退出 signs out and leaves nothing of the person’s on the phone', async () => {
    const { store, outbox, pending, storage, calls } = world();
    outbox.add(lot('lot-1', 1_000));
    pending.add('take-1', 'take', 1_500);
    expect(await store.request()).toBe('asking');
    await store.confirm();
    expect(calls).toEqual(['signOut', 'forget']);
    expect(store.state).toEqual({ asking: null, busy: false });
    expect(outbox.state.items).toEqual([]);
    expect(pending.state.items).toEqual([]);
    expect(storage.data.get('freshlink.outbox')).toBe('[]');
  });

  it('counts only the signed-in person’s items, and not actions whose outcome is already known', () => {
    const { outbox, pending } = world();
    outbox.add(lot('mine', 1_000));
    const someoneElses = { ...outbox.state, items: [...outbox.state.items, { ...lot('theirs', 500), owner: 'u2' }] };
    pending.add('done-1', 'accept', 2_000);
    const settled = {
      ...pending.state,
      items: pending.state.items.map((i) => ({ ...i, status: 'done' as const })),
    };
    expect(unsentActions(someoneElses, settled).map((a) => a.key)).toEqual(['mine']);
    expect(unsentActions({ ...someoneElses, owner: null }, settled)).toEqual([]);
  });
});

describe('the cached answers of the person who signs out', () => {
  const realCaches = (globalThis as { caches?: unknown }).caches;
  afterEach(() => {
    (globalThis as { caches?: unknown }).caches = realCaches;
  });

  it('the service worker’s copies of their lists are deleted at sign-out, and the owner mark with them', async () => {
    const names = new Set(['freshlink-last-read', 'workbox-precache-v2']);
    (globalThis as { caches?: unknown }).caches = { delete: async (name: string) => names.delete(name) };
    const storage = memory();
    await claimLastRead(storage, 'u1');
    expect(storage.data.get('freshlink.owner')).toBe('u1');
    names.add('freshlink-last-read'); // u1 reads their lists: the service worker keeps copies
    const { outbox } = world();
    outbox.add(lot('lot-1', 1_000));
    const withCaches = new SignOutStore({
      outbox,
      pending: new PendingStore(async () => ok({ items: [] }), memory()),
      signOut: async () => undefined,
      forgetPersonalData: () => forgetLastRead(storage),
    });
    expect(await withCaches.request()).toBe('asking');
    expect(names.has('freshlink-last-read')).toBe(true); // nothing cleared while the person decides
    await withCaches.confirm();
    expect([...names]).toEqual(['workbox-precache-v2']); // the app shell stays, the person's lists go
    expect(storage.data.get('freshlink.owner')).toBe('');
  });
});
