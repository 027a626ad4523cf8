/**
 * Builds the browser client (client/dist) when it is missing or older than its sources, so
 * `npm start` always serves the current client. Run directly (`tsx scripts/ensure-client.ts`)
 * or call ensureClientBuilt() (the browser tests do).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(__dirname, '..');
const distIndex = path.join(root, 'client', 'dist', 'index.html');
/** Everything the bundle is made from: the client and the shared code it imports. */
const sources = ['client/index.html', 'client/vite.config.ts', 'client/src', 'shared'].map((p) => path.join(root, p));

function newestMtime(p: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0; // a source that does not exist cannot be newer than the build
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function clientIsStale(): boolean {
  let built: number;
  try {
    built = fs.statSync(distIndex).mtimeMs;
  } catch {
    return true;
  }
  return sources.some((s) => newestMtime(s) > built);
}

export function ensureClientBuilt(options: { force?: boolean; quiet?: boolean } = {}): void {
  if (!options.force && !clientIsStale()) return;
  const vite = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vite.cmd' : 'vite');
  if (!fs.existsSync(vite)) {
    // A production install without devDependencies: serve the build that shipped, if any.
    if (fs.existsSync(distIndex)) {
      process.stderr.write('ensure-client: vite is not installed; serving the existing client/dist as it is\n');
      return;
    }
    throw new Error('client/dist is missing and vite is not installed (npm install, then npm run build:client)');
  }
  const result = spawnSync(vite, ['build', 'client', '--logLevel', options.quiet ? 'warn' : 'info'], {
    cwd: root,
    stdio: options.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  if (result.status !== 0) {
    throw new Error(`client build failed (vite exited with ${result.status ?? result.signal})`);
  }
}

if (require.main === module) {
  try {
    ensureClientBuilt({ force: process.argv.includes('--force') });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
