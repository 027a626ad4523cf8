/**
 * `market:watch`: a socket chooses which part of the market board it hears — products, regions, both (those
 * products from those regions) or, with nothing named, the whole market, which is where every signed-in socket
 * starts (realtime/index.ts). The choice lives in the socket's rooms only; a reconnecting client sends it again.
 */
import type { MarketWatching } from '../../../shared/schemas/market-watch';
import { marketWatchPayload } from '../../../shared/schemas/market-watch';
import { issuesToFields } from '../../http/validate';
import { failure, success, type Outcome } from '../../outcome';
import { ackFunction, answer, signedIn } from '../../realtime/ack';
import type { SocketContext } from '../../realtime/context';
import { boardRoomsWatching, isBoardRoom } from '../../realtime/hub';

export function marketWatchHandler() {
  return (ctx: SocketContext) => {
    // Watches apply in the order they were sent, though each first re-reads the user.
    let previous: Promise<void> = Promise.resolve();
    ctx.socket.on('market:watch', (payload: unknown, rawAck: unknown) => {
      const ack = ackFunction<{ watching: MarketWatching }>(rawAck);
      previous = previous.then(() =>
        answer(ack, ctx.logger, async (): Promise<Outcome<{ watching: MarketWatching }>> => {
          const user = signedIn(await ctx.currentUser());
          if (!user.ok) return user;
          const parsed = marketWatchPayload.safeParse(payload ?? {});
          if (!parsed.success) {
            const fields = issuesToFields(parsed.error.issues);
            return failure('VALIDATION', `Invalid request: ${Object.keys(fields).join(', ')}`, { fields });
          }
          const watching = parsed.data;
          for (const room of [...ctx.socket.rooms]) if (isBoardRoom(room)) await ctx.socket.leave(room);
          await ctx.socket.join(boardRoomsWatching(watching));
          return success({ watching });
        }),
      );
    });
  };
}
