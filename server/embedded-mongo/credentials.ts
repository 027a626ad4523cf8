import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The user a TCP-listening embedded server (`npm run db`) requires: DB_USERNAME and DB_PASSWORD
 * when set, otherwise generated once into `<dbPath>/credentials` (mode 0600, in env-file form so a
 * shell can `source` it) and read from there on later starts.
 */
const CREDENTIALS_FILE = 'credentials';

export interface Credentials {
  username: string;
  password: string;
  /** Where they came from, to tell the operator. */
  source: 'environment' | 'generated' | 'file';
  path?: string;
}

function parse(text: string): { username?: string; password?: string } {
  const out: { username?: string; password?: string } = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'DB_USERNAME') out.username = value;
    if (key === 'DB_PASSWORD') out.password = value;
  }
  return out;
}

export function resolveCredentials(dbPath: string, env: NodeJS.ProcessEnv = process.env): Credentials {
  const username = env.DB_USERNAME;
  const password = env.DB_PASSWORD;
  if (username && password) return { username, password, source: 'environment' };
  if (username || password) throw new Error('set both DB_USERNAME and DB_PASSWORD, or neither');
  const path = join(dbPath, CREDENTIALS_FILE);
  try {
    const stored = parse(readFileSync(path, 'utf8'));
    if (stored.username && stored.password) {
      chmodSync(path, 0o600);
      return { username: stored.username, password: stored.password, source: 'file', path };
    }
    throw new Error(`${path} has no DB_USERNAME/DB_PASSWORD lines; fix or delete it`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dbPath, { recursive: true, mode: 0o700 });
  const generated = { username: 'freshlink', password: randomBytes(24).toString('base64url') };
  // Letters, digits, '-' and '_' only: safe unescaped in a mongodb:// URI.
  writeFileSync(path, `DB_USERNAME=${generated.username}\nDB_PASSWORD=${generated.password}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  return { ...generated, source: 'generated', path };
}
