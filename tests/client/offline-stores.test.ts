/**
 * The phone's outbox and pending actions (client/src/state/outbox.ts, pending.ts) belong to whoever made them:
 * on a shared phone the next person never sees them, and the outbox never sends them as the next person.
 */
import { OutboxStore, type OutboxItem } from '../../client/src/state/outbox';
import { PendingStore, type KeyValue } from '../../client/src/state/pending';
import type { ApiResult } from '../../client/src/state/api-result';
import { SessionStore } from '../../client/src/state/session';
import { createMarketApi } from '../../client/src/state/market-api';
import type { AccountsApi } from '../../client/src/api';

function memory(): KeyValue & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const item = (key: string, kind: OutboxItem['kind'] = 'lot'): OutboxItem => ({
  key,
  kind,
  path: kind === 'receipt' ? '/api/orders/o1/deliver' : '/api/lots',
  body: { n: key },
  at: 1,
});

function recordingSend(answer: ApiResult<unknown> = { ok: true, data: {} }) {
  const sent: string[] = [];
  return {
    sent,
    send: (_path: string, _body: unknown, key: string) => {
      sent.push(key);
      return Promise.resolve(answer);
    },
  };
}

describe('the outbox on a shared phone', () => {
  it('keeps nothing made while nobody is signed in', () => {
    const box = new OutboxStore(recordingSend().send, memory());
    expect(box.add(item('k-anon'))).toBe(false);
    expect(box.state.items).toEqual([]);
  });

  it('sends the signed-in person’s items once each, with their keys, and survives a reload', async () => {
    const storage = memory();
    const a = new OutboxStore(recordingSend().send, storage);
    a.useFor('user-a');
    a.add(item('k-1'));
    a.add(item('k-2', 'receipt'));
    a.add(item('k-1')); // the same key again: still one
    const net = recordingSend();
    const reloaded = new OutboxStore(net.send, storage);
    reloaded.useFor('user-a');
    expect(reloaded.waiting('receipt').map((i) => i.key)).toEqual(['k-2']);
    expect(await reloaded.flush()).toBe(2);
    expect(await reloaded.flush()).toBe(0);
    expect(net.sent).toEqual(['k-1', 'k-2']);
  });

  it('drops A’s items unsent when B signs in on the phone', async () => {
    const storage = memory();
    const a = new OutboxStore(recordingSend().send, storage);
    a.useFor('user-a');
    a.add(item('k-a'));
    const net = recordingSend();
    const b = new OutboxStore(net.send, storage);
    b.useFor('user-b');
    expect(b.state.items).toEqual([]);
    expect(await b.flush()).toBe(0);
    expect(net.sent).toEqual([]);
    expect(JSON.parse(storage.data.get('freshlink.outbox') ?? 'null')).toEqual([]);
  });

  it('forgets everything at sign-out, in storage too', () => {
    const storage = memory();
    const box = new OutboxStore(recordingSend().send, storage);
    box.useFor('user-a');
    box.add(item('k-a'));
    box.forget();
    expect(box.state.items).toEqual([]);
    expect(box.add(item('k-after'))).toBe(false);
    expect(JSON.parse(storage.data.get('freshlink.outbox') ?? 'null')).toEqual([]);
  });

  it('a flush still offline keeps the item for the next reconnect', async () => {
    const net = recordingSend({ ok: false, error: { status: 0, code: 'NETWORK', message: '', fields: {} } });
    const box = new OutboxStore(net.send, memory());
    box.useFor('user-a');
    box.add(item('k-a', 'receipt'));
    expect(await box.flush()).toBe(0);
    expect(box.state.items.map((i) => i.key)).toEqual(['k-a']);
  });
});

describe('pending actions on a shared phone', () => {
  const nothingKnown = () => Promise.resolve({ ok: true as const, data: { items: [] } });

  it('are shown and asked about only for the person who acted', async () => {
    const storage = memory();
    const a = new PendingStore(nothingKnown, storage);
    a.useFor('user-a');
    a.add('k-a', 'accept', 1);
    const asked: string[][] = [];
    const b = new PendingStore((keys) => {
      asked.push(keys);
      return nothingKnown();
    }, storage);
    b.useFor('user-b');
    expect(b.state.items).toEqual([]);
    await b.check();
    expect(asked).toEqual([]);
  });

  it('are forgotten at sign-out', () => {
    const storage = memory();
    const a = new PendingStore(nothingKnown, storage);
    a.useFor('user-a');
    a.add('k-a', 'take', 1);
    a.forget();
    expect(a.state.items).toEqual([]);
    expect(JSON.parse(storage.data.get('freshlink.pending') ?? 'null')).toEqual([]);
  });
});

describe('a sign-out made offline', () => {
  const offline = { ok: false as const, error: { status: 0, code: 'NETWORK', message: '', fields: {} } };
  const meOfA = { ok: true as const, data: { user: { id: 'user-a' }, organisation: { id: 'org-a' } } };

  it('is finished before the app opens as anyone: while still offline, nobody is signed in', async () => {
    const storage = memory();
    const calls: string[] = [];
    let network = false;
    const api = {
      signOut: () => {
        calls.push('signOut');
        return Promise.resolve(network ? { ok: true as const, data: {} } : offline);
      },
      me: () => {
        calls.push('me');
        return Promise.resolve(meOfA);
      },
    } as unknown as AccountsApi;
    await new SessionStore(api, storage).signOut();

    const still = new SessionStore(api, storage);
    await still.load();
    expect(still.state.status).toBe('anonymous');

    network = true;
    calls.length = 0;
    const next = new SessionStore(api, storage);
    await next.load();
    expect(calls).toEqual(['signOut', 'me']); // the old session is ended on the server first
  });
});

describe('确认收货 through the market API', () => {
  it('offline, it is queued with a fresh key and not sent; online, it is sent with that key', async () => {
    const queued: { kind: string; path: string; key: string }[] = [];
    const sent: (string | undefined)[] = [];
    let offline = true;
    const api = createMarketApi(
      (_input, init) => {
        sent.push((init.headers as Record<string, string>)['idempotency-key']);
        return Promise.resolve(new Response(JSON.stringify({ id: 'o1', status: 'delivered' }), { status: 200 }));
      },
      {
        isOffline: () => offline,
        newKey: () => `fl-test-key-${queued.length + sent.length}`,
        queue: (item) => {
          queued.push(item);
          return true;
        },
      },
    );
    const r = await api.orderAction('o1', 'deliver', { deliveredGrams: 48_000 });
    expect(r).toMatchObject({ ok: false, error: { code: 'QUEUED_OFFLINE' } });
    expect(queued).toEqual([
      expect.objectContaining({ kind: 'receipt', path: '/api/orders/o1/deliver', key: 'fl-test-key-0' }),
    ]);
    expect(sent).toEqual([]);

    offline = false;
    expect((await api.orderAction('o1', 'deliver', { deliveredGrams: 48_000 })).ok).toBe(true);
    expect(sent).toEqual(['fl-test-key-1']);
  });
});
