import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../server/embedded-mongo/storage/lmdb';
import { killAllChildren, spawnTypeScript } from '../fixtures/crash-child';

/**
 * kill -9 of a process that writes through the LMDB storage: every commit it acknowledged
 * (printed after commit() resolved) must be on disk when the storage is reopened, and every
 * commit must be whole. This is a process crash, not a power cut: it shows that
 * acknowledgement waits for the LMDB commit and that a torn write leaves a readable database;
 * that the sync reaches the platter is lmdb's fdatasync (see docs/storage-and-bench.md).
 */

const dirs: string[] = [];

afterAll(async () => {
  await killAllChildren();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const isNumber = (line: string): boolean => /^\d+$/.test(line);

describe('LMDB storage under kill -9', () => {
  it('when the writer is killed mid-stream, then every acknowledged commit survives, whole, across three crashes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'freshlink-crash-'));
    dirs.push(dir);
    const acknowledged = new Set<number>();

    for (let round = 0; round < 3; round++) {
      const writer = spawnTypeScript('tests/fixtures/storage-writer.ts', [dir, String(round * 1_000_000), '16']);
      await writer.waitForLine((line) => line === 'ready', 20_000);
      // Kill at a different point each round, while commits are in flight.
      const killAfter = 300 + round * 700;
      let printed = 0;
      await writer.waitForLine((line) => isNumber(line) && ++printed >= killAfter, 30_000);
      await writer.killHard();
      for (const line of writer.lines) if (isNumber(line)) acknowledged.add(Number(line));

      const storage = await openStorage(dir);
      try {
        const keysOf = (name: string): Set<number> =>
          new Set(Array.from(storage.documents('crash', name, {}), ({ key }) => Number(key)));
        const lots = keysOf('lots');
        const ledger = keysOf('ledger');
        const missing = [...acknowledged].filter((n) => !lots.has(n) || !ledger.has(n));
        expect(missing).toEqual([]);
        // All-or-nothing: a commit wrote both collections or neither.
        expect([...lots].filter((n) => !ledger.has(n))).toEqual([]);
        expect([...ledger].filter((n) => !lots.has(n))).toEqual([]);
        // Commits that had been made durable but not yet printed may be there too: at most the in-flight ones.
        expect(lots.size - acknowledged.size).toBeLessThanOrEqual(16 * (round + 1));
      } finally {
        await storage.close();
      }
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual(300 + 1000 + 1700);
  }, 120_000);
});
