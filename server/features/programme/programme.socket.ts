/**
 * `campaign:watch`: a signed-in socket joins one campaign's room (`campaign:<id>`) to hear its progress live
 * (`programme:campaign`); watching another campaign leaves the previous one. Chamber sockets hear every
 * campaign in the `chamber` room already. Not remembered by the server: a client re-sends it after a reconnect.
 */
import { campaignWatchPayload } from '../../../shared/schemas/programme';
import { issuesToFields } from '../../http/validate';
import { failure, success, type Outcome } from '../../outcome';
import { ackFunction, answer, signedIn } from '../../realtime/ack';
import type { SocketContext } from '../../realtime/context';

export const campaignRoom = (campaignId: string) => `campaign:${campaignId}`;
const isCampaignRoom = (room: string) => room.startsWith('campaign:');

export function campaignWatchHandler(deps: { campaignExists(id: string): Promise<boolean> }) {
  return (ctx: SocketContext) => {
    ctx.socket.on('campaign:watch', (payload: unknown, rawAck: unknown) => {
      const ack = ackFunction<{ campaignId: string }>(rawAck);
      void answer(ack, ctx.logger, async (): Promise<Outcome<{ campaignId: string }>> => {
        const user = signedIn(await ctx.currentUser());
        if (!user.ok) return user;
        const parsed = campaignWatchPayload.safeParse(payload ?? {});
        if (!parsed.success) {
          const fields = issuesToFields(parsed.error.issues);
          return failure('VALIDATION', `Invalid request: ${Object.keys(fields).join(', ')}`, { fields });
        }
        const { campaignId } = parsed.data;
        if (!(await deps.campaignExists(campaignId))) return failure('NOT_FOUND', 'No such campaign');
        for (const room of [...ctx.socket.rooms]) if (isCampaignRoom(room)) await ctx.socket.leave(room);
        await ctx.socket.join(campaignRoom(campaignId));
        return success({ campaignId });
      });
    });
  };
}
