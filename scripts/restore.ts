/**
 * npm run restore -- --from DIR [--drop]
 *
 * Loads a backup (npm run backup, or mongodump's DIR/<db>) into the app's database: MONGODB_URI's,
 * or the embedded one in DATA_DIR (through the running server's socket, or opened here). Refuses a
 * database that holds documents unless --drop, which replaces it. See docs/operations.md.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../server/config';
import { NotEmptyError, restoreDatabase } from './lib/dump';
import { argValue, connectTool } from './lib/tool-connection';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const from = argValue(args, '--from');
  if (!from) {
    process.stderr.write('Usage: npm run restore -- --from DIR [--drop]\n');
    return 2;
  }
  const config = loadConfig();
  const connection = await connectTool(config);
  try {
    const summary = await restoreDatabase(connection.client, connection.dbName, resolve(from), args.includes('--drop'));
    process.stdout.write(`${JSON.stringify({ msg: 'restore done', via: connection.via, ...summary })}\n`);
    return 0;
  } catch (error) {
    if (error instanceof NotEmptyError) {
      process.stderr.write(`${error.message}\n`);
      return 3;
    }
    throw error;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`restore failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
