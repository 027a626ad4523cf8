import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../server/embedded-mongo';

/**
 * A second real driver: pymongo (Debian's python3-pymongo, which CI installs) authenticates with a
 * plain user:pass URI by SCRAM-SHA-256 and SCRAM-SHA-1, reads and writes; without credentials it
 * gets 13 Unauthorized, with a wrong password 18 AuthenticationFailed. Outside CI, a machine without
 * pymongo skips this file (and says so); in CI a missing pymongo fails it.
 */
const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'drivers', 'pymongo_check.py');
const USER = 'market';
const PASSWORD = 'p@ss word:with/odd=chars';

function hasPymongo(): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import pymongo'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = hasPymongo();
if (!available && process.env.CI !== 'true') {
  console.warn('pymongo.test.ts skipped: /usr/bin/python3 has no pymongo (apt-get install -y python3-pymongo)');
}
const suite = available || process.env.CI === 'true' ? describe : describe.skip;

let dbPath: string;
let server: EmbeddedMongo;

suite('pymongo against the embedded server', () => {
  beforeAll(async () => {
    dbPath = mkdtempSync(join(tmpdir(), 'embedded-pymongo-'));
    server = await startEmbeddedMongo({ dbPath, port: 0, auth: { username: USER, password: PASSWORD } });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dbPath, { recursive: true, force: true });
  });

  it('when pymongo connects with user:pass@…?authSource=admin, then it authenticates, reads and writes; others are refused', async () => {
    expect(available).toBe(true);
    const { stdout } = await run(PYTHON, [SCRIPT, '127.0.0.1', String(server.port), USER, PASSWORD], {
      timeout: 60_000,
    });
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-1']) {
      expect(seen[mechanism]).toEqual({
        count: 250,
        over: 50,
        first: { _id: 7, grams: 3400, name: '香菇 7' },
        sorted: [249, 248, 247],
        all: 250,
        group: [{ _id: null, g: (249 * 250 * 500) / 2 - 100 }],
      });
    }
    expect(seen.ping).toBe(1);
    expect(seen.anonymous).toBe(13);
    expect(seen.wrong).toBe(18);
  });
});
