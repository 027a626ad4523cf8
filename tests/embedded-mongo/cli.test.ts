import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';

/** `npm run db` runs the server in the foreground, logs its URI, and stops cleanly on SIGTERM. */
const root = resolve(__dirname, '..', '..');
const dbPath = mkdtempSync(join(tmpdir(), 'embedded-cli-'));
afterAll(() => rmSync(dbPath, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const address = s.address();
  await new Promise((r) => s.close(r));
  return typeof address === 'object' && address ? address.port : 0;
}

function startCli(port: number) {
  const child = spawn(
    process.execPath,
    [
      join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      'server/embedded-mongo/cli.ts',
      '--port',
      String(port),
      '--dbpath',
      dbPath,
    ],
    { cwd: root },
  );
  let out = '';
  const started = new Promise<string>((ok, fail) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes('listening'));
      if (line) ok(line);
    });
    child.once('exit', (code) => fail(new Error(`cli exited early with ${String(code)}: ${out}`)));
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, started, exited };
}

test('serves on the given port and flushes on SIGTERM so a restart sees the data', async () => {
  const port = await freePort();
  const first = startCli(port);
  const line = await first.started;
  expect(JSON.parse(line)).toMatchObject({ uri: `mongodb://127.0.0.1:${port}/` });
  const client = await MongoClient.connect(`mongodb://127.0.0.1:${port}/`);
  await client
    .db('cli')
    .collection('c')
    .insertOne({ _id: 'kept' } as never);
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  await client.close();

  const second = startCli(port);
  await second.started;
  const again = await MongoClient.connect(`mongodb://127.0.0.1:${port}/`);
  expect(await again.db('cli').collection('c').countDocuments()).toBe(1);
  await again.close();
  second.child.kill('SIGINT');
  expect(await second.exited).toBe(0);
}, 60_000);
