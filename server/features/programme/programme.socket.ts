/**
 * `campaign:watch`: a signed-in socket joins one campaign's room (`campaign:<id>`) to hear its progress live
 * (`programme:campaign`); watching another campaign leaves the previous one. Chamber sockets hear every
 * campaign in the `chamber` room already. Not remembered by the server: a client re-sends it after a reconnect.
 */
import { campaignWatchPayload } from '../../../shared/schemas/programme';
import { failure, success } from '../../outcome';
import { socketHandler, type SocketHandler } from '../../realtime/handler';

export const campaignRoom = (campaignId: string) => `campaign:${campaignId}`;
const isCampaignRoom = (room: string) => room.startsWith('campaign:');

export function campaignWatchHandler(deps: { campaignExists(id: string): Promise<boolean> }): SocketHandler {
  return socketHandler({
    event: 'campaign:watch',
    access: 'signed-in',
    payload: 'optional',
    schema: campaignWatchPayload,
    handle: async ({ payload, ctx }) => {
      const { campaignId } = payload;
      if (!(await deps.campaignExists(campaignId))) return failure('NOT_FOUND', 'No such campaign');
      for (const room of [...ctx.socket.rooms]) if (isCampaignRoom(room)) await ctx.socket.leave(room);
      await ctx.socket.join(campaignRoom(campaignId));
      return success({ campaignId });
    },
  });
}
