import { Int32 } from 'bson';
import { runCommand } from '../../server/embedded-mongo/commands/dispatch';
import type { ServerState } from '../../server/embedded-mongo/commands/context';
import { Catalog } from '../../server/embedded-mongo/engine/catalog';
import { CursorRegistry } from '../../server/embedded-mongo/cursors';
import type { Storage } from '../../server/embedded-mongo/storage/types';

/** A storage whose disk "fails" on demand (and which keeps nothing: reads see only the engine's overlay). */
function flakyStorage(): Storage & { failing: boolean } {
  return {
    failing: false,
    collections: () => [],
    documentBytes: () => undefined,
    documents: () => [],
    indexEntries: () => [],
    async commit() {
      if (this.failing) throw new Error('EIO: disk gone');
    },
    onCommitted() {},
    mapping: () => ({ budgetBytes: 0, remaps: 0, pageReads: 0, cachedBranches: 0 }),
    snapshot: () => ({ collections: () => [], close() {} }),
    async close() {},
  };
}

function state(storage: Storage): ServerState {
  return {
    catalog: Catalog.load(storage),
    storage,
    cursors: new CursorRegistry(),
    startedAt: new Date(),
    sessions: new Map(),
    now: () => new Date(),
  };
}

const run = (s: ServerState, cmd: Record<string, unknown>) =>
  runCommand(cmd, { server: s, db: 'test', connectionId: 1, clientAddress: '127.0.0.1:1', ops: [] });

describe('when a write cannot be made durable', () => {
  it('answers InternalError and then serves nothing more, so no client builds on a write a restart would lose', async () => {
    const storage = flakyStorage();
    const s = state(storage);
    expect(await run(s, { insert: 'lots', documents: [{ _id: 1, qty: new Int32(5) }] })).toMatchObject({ ok: 1, n: 1 });

    storage.failing = true;
    const failed = await run(s, { insert: 'lots', documents: [{ _id: 2, qty: new Int32(5) }] });
    expect(failed).toMatchObject({ ok: 0, code: 1, codeName: 'InternalError' });
    expect(String(failed.errmsg)).toMatch(/durable.*EIO/);

    storage.failing = false;
    // Even reads and pings are refused: memory holds _id 2, the disk does not.
    expect(await run(s, { find: 'lots', filter: {} })).toMatchObject({ ok: 0, code: 1 });
    expect(await run(s, { ping: 1 })).toMatchObject({ ok: 0, code: 1 });
  });
});
