/**
 * npm run create-admin -- --phone 13800000000 --name 张三 [--chamber-name …] [--chamber-credit-code …]
 *
 * Creates (or, for a phone that is already an admin, updates the name and password of) a chamber of
 * commerce admin, creating the chamber organisation first if there is none. The password comes from
 * ADMIN_PASSWORD or an interactive prompt that does not echo; there is no default.
 * With the embedded database it goes through the running app's socket, or opens DATA_DIR when the app is stopped.
 */
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db';
import { createLogger } from '../server/logger';
import { createUserRepository } from '../server/features/accounts/users/accounts.repository';
import { createPasswordHasher } from '../server/features/accounts/users/passwords';
import { createOrganisationRepository } from '../server/features/accounts/organisations/organisations.repository';
import { createAdminBootstrap } from '../server/features/accounts/admin/admin.service';

function promptHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    return Promise.reject(new Error('No password: set ADMIN_PASSWORD or run in a terminal to be prompted.'));
  }
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const muted = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stdout.write(question);
    muted._writeToOutput = () => undefined; // no echo
    rl.question('', (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  const first = await promptHidden('Password for the admin (at least 10 characters): ');
  const second = await promptHidden('Repeat it: ');
  if (first !== second) throw new Error('The passwords differ.');
  return first;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      phone: { type: 'string' },
      name: { type: 'string' },
      'chamber-name': { type: 'string' },
      'chamber-credit-code': { type: 'string' },
    },
    strict: true,
  });
  if (!values.phone || !values.name) {
    process.stderr.write('Usage: npm run create-admin -- --phone <mobile> --name <name>\n');
    return 2;
  }
  const password = await readPassword();
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const db = await openDatabase(config, logger, 'freshlink', { shareRunning: true });
  try {
    const users = createUserRepository(db.connection);
    const organisations = createOrganisationRepository(db.connection);
    await Promise.all([users.ensureIndexes(), organisations.ensureIndexes()]);
    const bootstrap = createAdminBootstrap({ users, organisations, hasher: createPasswordHasher() });
    const result = await bootstrap.upsertAdmin({
      phone: values.phone,
      name: values.name,
      password,
      chamberName: values['chamber-name'],
      chamberCreditCode: values['chamber-credit-code'],
    });
    if (!result.ok) {
      const fields = result.error.fields
        ? ` (${Object.entries(result.error.fields)
            .map(([k, v]) => `${k}: ${v}`)
            .join('; ')})`
        : '';
      process.stderr.write(`create-admin: ${result.error.message}${fields}\n`);
      return 1;
    }
    const { user, chamber, createdUser, createdChamber } = result.value;
    if (createdChamber) process.stdout.write(`Created chamber organisation ${chamber.name} (${chamber.creditCode}).\n`);
    process.stdout.write(
      `${createdUser ? 'Created' : 'Updated'} admin ${user.displayName} (${user.phone}) in ${chamber.name}, id ${user.id}.\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`create-admin failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
