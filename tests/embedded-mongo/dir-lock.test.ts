import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo';
import { LOCK_FILE } from '../../server/embedded-mongo/storage/dir-lock';

/**
 * One server per data directory, held by a socket the kernel releases when its owner dies: pids
 * that repeat, zombies and leftovers never block a start; a second live server is refused.
 */
const root = resolve(__dirname, '..', '..');
const dirs: string[] = [];
const children: ChildProcess[] = [];

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-lock-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface ChildReport {
  listening: boolean;
  startMs?: number;
  error?: string;
  /** From spawn to the report, tsx's compile included. */
  spawnToReportMs: number;
}

function startChild(dbPath: string): { child: ChildProcess; report: Promise<ChildReport> } {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/embedded-server-child.ts', dbPath], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const report = new Promise<ChildReport>((ok, fail) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) ok({ ...(JSON.parse(line) as ChildReport), spawnToReportMs: performance.now() - spawnedAt });
    });
    child.once('exit', (code) => fail(new Error(`child exited with ${String(code)} before reporting: ${out}`)));
  });
  return { child, report };
}

describe('the data directory lock', () => {
  it.each([
    ['pid 1', () => 1],
    ['the starting process itself', () => process.pid],
    ['a live unrelated process', () => process.ppid],
  ])('when a leftover pid lock names %s, then the server starts anyway', async (_name, pid) => {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE), `${pid()}\n`);
    // A leftover socket file from a dead server, too.
    writeFileSync(join(dir, 'mongod.sock'), '');
    const server = await startEmbeddedMongo({ dbPath: dir });
    try {
      const client = await MongoClient.connect(server.uri, { serverSelectionTimeoutMS: 3000 });
      expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
      await client.close();
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('when a server runs on the directory, then a second one refuses with a clear message, and starts once the first stops', async () => {
    const dir = freshDir();
    const first = await startEmbeddedMongo({ dbPath: dir });
    await expect(startEmbeddedMongo({ dbPath: dir })).rejects.toThrow(
      new RegExp(`data directory .* is in use by process ${process.pid}: another embedded server has it open`),
    );
    await first.close();
    const second = await startEmbeddedMongo({ dbPath: dir });
    await second.close();
  });

  it('when another process holds the directory, then a start here names that process', async () => {
    const dir = freshDir();
    const { child, report } = startChild(dir);
    expect((await report).listening).toBe(true);
    await expect(startEmbeddedMongo({ dbPath: dir })).rejects.toThrow(new RegExp(`in use by process ${child.pid}`));
    child.kill('SIGKILL');
  }, 60_000);

  it('when a server is killed -9 and restarted at once, ten times in a row, then each restart listens within 2 s and keeps the data', async () => {
    const dir = freshDir();
    const figures: string[] = [];
    let previous: ChildProcess | undefined;
    for (let round = 0; round < 10; round++) {
      const { child, report } = startChild(dir);
      const started = await report;
      expect(started).toMatchObject({ listening: true });
      expect(started.startMs).toBeLessThan(2000);
      figures.push(
        `${Math.round(started.startMs ?? 0)} ms (spawn→listening ${Math.round(started.spawnToReportMs)} ms)`,
      );
      const client = await MongoClient.connect(`mongodb://${encodeURIComponent(join(dir, 'mongod.sock'))}/`, {
        serverSelectionTimeoutMS: 3000,
      });
      await client.db('crash').collection('rounds').insertOne({ round });
      expect(await client.db('crash').collection('rounds').countDocuments()).toBe(round + 1);
      await client.close();
      // kill -9 and start the next one without waiting for this one to be reaped (a zombie for a while).
      child.kill('SIGKILL');
      previous = child;
    }
    previous?.kill('SIGKILL');
    process.stdout.write(`restart after kill -9, start→listening: ${figures.join(', ')}\n`);
  }, 300_000);
});
