/**
 * npm run backup -- --out DIR
 *
 * Writes the app's database (MONGODB_URI's, or the embedded one in DATA_DIR) to DIR/<db> in
 * mongodump's layout, which `mongorestore` loads into a real MongoDB. On the embedded server it
 * is one consistent snapshot, taken while the app keeps running (through its socket) or with
 * the directory opened here when the app is stopped. See docs/operations.md.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../server/config';
import { dumpDatabase } from './lib/dump';
import { argValue, connectTool } from './lib/tool-connection';

async function main(): Promise<number> {
  const out = argValue(process.argv.slice(2), '--out');
  if (!out) {
    process.stderr.write('Usage: npm run backup -- --out DIR\n');
    return 2;
  }
  const config = loadConfig();
  const connection = await connectTool(config);
  try {
    const summary = await dumpDatabase(connection.client, connection.dbName, resolve(out));
    process.stdout.write(
      `${JSON.stringify({ msg: 'backup written', dir: resolve(out, summary.db), via: connection.via, ...summary })}\n`,
    );
    return 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`backup failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
