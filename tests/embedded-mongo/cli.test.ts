import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';

/**
 * `npm run db` runs the server in the foreground, logs its URI, and stops cleanly on SIGTERM; TCP
 * clients authenticate as the user it generated into <dbpath>/credentials.
 */
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

function startCli(port: number, env: NodeJS.ProcessEnv = {}) {
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
    { cwd: root, env: { ...process.env, DB_USERNAME: '', DB_PASSWORD: '', ...env } },
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

function generatedUri(port: number): string {
  const file = readFileSync(join(dbPath, 'credentials'), 'utf8');
  const user = /DB_USERNAME=(.*)/.exec(file)?.[1] ?? '';
  const password = /DB_PASSWORD=(.*)/.exec(file)?.[1] ?? '';
  return `mongodb://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/cli?authSource=admin`;
}

test('serves on the given port and flushes on SIGTERM so a restart sees the data', async () => {
  const port = await freePort();
  const first = startCli(port);
  const line = await first.started;
  expect(JSON.parse(line)).toMatchObject({
    uri: `mongodb://127.0.0.1:${port}/`,
    credentials: join(dbPath, 'credentials'),
  });
  expect(line).not.toContain(/DB_PASSWORD=(.*)/.exec(readFileSync(join(dbPath, 'credentials'), 'utf8'))?.[1]);
  expect(statSync(join(dbPath, 'credentials')).mode & 0o777).toBe(0o600);
  const client = await MongoClient.connect(generatedUri(port));
  await client
    .db('cli')
    .collection('c')
    .insertOne({ _id: 'kept' } as never);
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  await client.close();

  const second = startCli(port);
  await second.started;
  const again = await MongoClient.connect(generatedUri(port));
  expect(await again.db('cli').collection('c').countDocuments()).toBe(1);
  await again.close();
  second.child.kill('SIGINT');
  expect(await second.exited).toBe(0);
}, 60_000);

test('refuses a non-loopback --host without DB_USERNAME/DB_PASSWORD', async () => {
  const child = spawn(
    process.execPath,
    [
      join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      'server/embedded-mongo/cli.ts',
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--dbpath',
      dbPath,
    ],
    { cwd: root, env: { ...process.env, DB_USERNAME: '', DB_PASSWORD: '' } },
  );
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  expect(code).toBe(2);
  expect(err).toMatch(/refusing to listen on 0\.0\.0\.0 without credentials/);
}, 60_000);
