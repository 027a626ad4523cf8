import { resolveCredentials } from './credentials';
import { startEmbeddedMongo } from './index';

/**
 * `npm run db -- --port 27018 --dbpath ./data/db [--host 127.0.0.1] [--cache-mb 64] [--map-mb 128]`: runs the embedded
 * server in the foreground until SIGINT/SIGTERM, then closes sockets and flushes storage.
 * TCP clients authenticate (SCRAM) as DB_USERNAME/DB_PASSWORD, or as the user generated into
 * `<dbpath>/credentials`; the Unix socket `<dbpath>/mongod.sock` serves the directory's owner.
 */
function argValue(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at >= 0) return args[at + 1];
  const inline = args.find((a) => a.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

/** A non-negative size in MB, or undefined when the flag is absent; exits naming the flag otherwise. */
function megabytes(args: string[], name: string): number | undefined {
  const raw = argValue(args, name);
  const mb = raw === undefined ? undefined : Number(raw);
  if (mb !== undefined && !(Number.isFinite(mb) && mb >= 0)) {
    process.stderr.write(`${name} must be a non-negative number, got ${raw}\n`);
    process.exit(2);
  }
  return mb;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const port = Number(argValue(args, '--port') ?? '27017');
  const dbPath = argValue(args, '--dbpath') ?? './data/db';
  const host = argValue(args, '--host') ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be an integer between 0 and 65535, got ${String(argValue(args, '--port'))}\n`);
    process.exit(2);
  }
  const cacheSizeMB = megabytes(args, '--cache-mb');
  const mapBudgetMB = megabytes(args, '--map-mb');
  const loopback = host === 'localhost' || host.startsWith('127.') || host === '::1';
  if (!loopback && !(process.env.DB_USERNAME && process.env.DB_PASSWORD)) {
    process.stderr.write(
      `refusing to listen on ${host} without credentials: set DB_USERNAME and DB_PASSWORD (or listen on 127.0.0.1)\n`,
    );
    process.exit(2);
  }
  const credentials = resolveCredentials(dbPath);
  const server = await startEmbeddedMongo({
    port,
    cacheSizeMB,
    mapBudgetMB,
    dbPath,
    host,
    auth: { username: credentials.username, password: credentials.password },
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(
    `${JSON.stringify({
      msg: 'embedded MongoDB listening',
      uri: server.uri,
      socket: server.socketUri,
      dbPath,
      user: credentials.username,
      // Never the password itself: where to read it.
      credentials: credentials.source === 'environment' ? 'DB_USERNAME/DB_PASSWORD' : credentials.path,
      connectWith: `mongodb://${encodeURIComponent(credentials.username)}:<password>@${server.uri.slice('mongodb://'.length).replace(/\/$/, '')}/freshlink?authSource=admin`,
    })}\n`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => {
        process.stdout.write(`${JSON.stringify({ msg: 'embedded MongoDB stopped', signal })}\n`);
        process.exit(0);
      },
      (e: unknown) => {
        process.stderr.write(`shutdown failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
