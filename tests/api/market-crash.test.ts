/**
 * kill -9 in the middle of a stream of accepts and clock takes, then a restart: every
 * acknowledged order is still there and confirmed, no stock stays reserved without its order
 * once the recovery sweep has run (main.ts starts it; it settles what is 30 s stale), the lot is
 * its quantity minus its confirmed orders, and retrying every request with its Idempotency-Key
 * gives each at most one order. The app runs as a real child process (server/main.ts).
 */
import { killAllCrashChildren } from '../fixtures/market-crash';
import { runCrashDrill, summary } from '../fixtures/market-crash-drill';
import { expectDrillSurvived } from '../fixtures/market-crash-expect';

jest.setTimeout(300_000);
afterAll(killAllCrashChildren);

it('when the app is killed with its embedded database inside, nothing acknowledged is lost and nothing is oversold or stuck', async () => {
  const result = await runCrashDrill('app-with-embedded-db');
  process.stdout.write(summary('app-with-embedded-db', result));
  expectDrillSurvived(result);
});

it('when the app is killed and its database (a separate process) lives on, the same holds', async () => {
  const result = await runCrashDrill('app-only', { killAfterAcks: 25 });
  process.stdout.write(summary('app-only', result));
  expectDrillSurvived(result);
});
