import session from 'express-session';
import { cacheSessions } from '../../server/http/session-cache';
import { createInvalidationBus, type Invalidation } from '../../server/realtime/invalidations';

/** An in-memory store counting its reads; `bus` stands for one process's invalidation bus. */
function aStore(bus = createInvalidationBus(), now = { ms: 0 }) {
  const inner = new session.MemoryStore();
  let reads = 0;
  const get = inner.get.bind(inner);
  inner.get = (sid, callback) => {
    reads += 1;
    get(sid, callback);
  };
  const store = cacheSessions(inner, bus, (sid) => `h:${sid}`, { maxAgeMs: 10_000, nowMs: () => now.ms });
  const read = (sid: string) =>
    new Promise<unknown>((resolve, reject) => store.get(sid, (err, data) => (err ? reject(err) : resolve(data))));
  const write = (sid: string, userId: string) =>
    new Promise<void>((resolve) =>
      store.set(sid, { cookie: { originalMaxAge: 1000 }, passport: { user: { id: userId, epoch: 0 } } } as never, () =>
        resolve(),
      ),
    );
  return { store, read, write, reads: () => reads, bus, now };
}

describe('session cache', () => {
  it('reads a session from the store once, then from the cache until it is 10 s old', async () => {
    const s = aStore();
    await s.write('a', 'u1');
    await s.read('a');
    await s.read('a');
    expect(s.reads()).toBe(1);
    s.now.ms = 10_001;
    await s.read('a');
    expect(s.reads()).toBe(2);
  });

  it('hands each reader its own copy (express-session rewrites the cookie it is given)', async () => {
    const s = aStore();
    await s.write('a', 'u1');
    const first = (await s.read('a')) as { cookie: unknown };
    first.cookie = 'changed';
    expect(((await s.read('a')) as { cookie: unknown }).cookie).not.toBe('changed');
  });

  it('when a session is ended on one process, the other process stops serving it at once', async () => {
    const sent: Invalidation[] = [];
    const processA = aStore();
    processA.bus.subscribe((change) => sent.push(change));
    const processB = aStore(createInvalidationBus());
    // Both processes share the store's contents in real life; here B's copy is written separately.
    await processB.write('a', 'u1');
    await processB.read('a');
    await processA.write('a', 'u1');
    await new Promise<void>((resolve) => processA.store.destroy('a', () => resolve()));
    // What travels through the adapter is the hashed key, never the session id.
    expect(sent.at(-1)).toEqual({ kind: 'session', sessionKey: 'h:a' });
    for (const change of sent) processB.bus.publish(change);
    await processB.read('a');
    expect(processB.reads()).toBe(2);
  });

  it("a password change (user invalidation) drops all that user's sessions, and only theirs", async () => {
    const s = aStore();
    await s.write('a', 'u1');
    await s.write('b', 'u1');
    await s.write('c', 'u2');
    await Promise.all([s.read('a'), s.read('b'), s.read('c')]);
    s.bus.publish({ kind: 'user', userId: 'u1' });
    await Promise.all([s.read('a'), s.read('b'), s.read('c')]);
    expect(s.reads()).toBe(5);
  });
});
