/**
 * kill -9 of the database (a separate `npm run db` process) in the middle of a stream of accepts
 * and clock takes, while the app lives on; the database restarts on the same port and data and
 * the app reconnects. Same promises as market-crash.test.ts: acknowledged orders survive, the
 * sweep leaves no stock reserved without its order, and retries give at most one order per key.
 */
import { killAllCrashChildren } from '../fixtures/market-crash';
import { runCrashDrill, summary } from '../fixtures/market-crash-drill';
import { expectDrillSurvived } from '../fixtures/market-crash-expect';

jest.setTimeout(300_000);
afterAll(killAllCrashChildren);

it('when the database is killed mid-stream and restarted, nothing acknowledged is lost and nothing is oversold or stuck', async () => {
  const result = await runCrashDrill('db-only', { killAfterAcks: 6 });
  process.stdout.write(summary('db-only', result));
  expectDrillSurvived(result);
});
