/**
 * `market:watch`: a socket chooses which part of the market board it hears — products, regions, both (those
 * products from those regions) or, with nothing named, the whole market, which is where every signed-in socket
 * starts (market.rooms.ts). The choice lives in the socket's rooms only; a reconnecting client sends it again.
 */
import { marketWatchPayload } from '../../../shared/schemas/market-watch';
import { success } from '../../outcome';
import { socketHandler } from '../../realtime/handler';
import { boardRoomsWatching, isBoardRoom } from './market.rooms';

export const marketWatchHandler = () =>
  socketHandler({
    event: 'market:watch',
    access: 'signed-in',
    payload: 'optional',
    schema: marketWatchPayload,
    // Watches apply in the order they were sent, though each first re-reads the user.
    inOrder: true,
    handle: async ({ payload: watching, ctx }) => {
      for (const room of [...ctx.socket.rooms]) if (isBoardRoom(room)) await ctx.socket.leave(room);
      await ctx.socket.join(boardRoomsWatching(watching));
      return success({ watching });
    },
  });
