/**
 * Child process for the scale rows of `npm run bench:db`: starts the embedded server on a
 * dbPath and prints one JSON line once it listens, with how long start took — both
 * startEmbeddedMongo alone and since the process began (node + tsx start-up included) — so
 * the parent can time a restart and read this process's RSS from /proc.
 *
 * Usage: node --import tsx bench/lib/db-server-child.ts <dbPath> [cacheSizeMB]
 */
import { startEmbeddedMongo } from '../../server/embedded-mongo';

async function main(): Promise<void> {
  const [dbPath, cacheArg] = process.argv.slice(2);
  if (!dbPath) throw new Error('usage: db-server-child <dbPath> [cacheSizeMB]');
  const started = performance.now();
  const server = await startEmbeddedMongo({
    dbPath,
    port: 0,
    cacheSizeMB: cacheArg === undefined ? undefined : Number(cacheArg),
  });
  const startMs = performance.now() - started;
  process.stdout.write(
    `${JSON.stringify({ uri: server.uri, startMs, sinceProcessStartMs: process.uptime() * 1000 })}\n`,
  );
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
