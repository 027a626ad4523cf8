import type { MembersResponse } from '../../../../shared/schemas/accounts';
import { ackFunction, answer, signedIn } from '../../../realtime/ack';
import type { SocketContext } from '../../../realtime/context';
import { success } from '../../../outcome';
import type { OrganisationsService } from './organisations.service';

/** `members:list`: signed-in users, their own organisation only. */
export function membersListHandler({ organisations }: { organisations: OrganisationsService }) {
  return (ctx: SocketContext) => {
    ctx.socket.on('members:list', (rawAck: unknown) => {
      const ack = ackFunction<MembersResponse>(rawAck);
      void answer(ack, ctx.logger, async () => {
        const user = signedIn(await ctx.currentUser());
        if (!user.ok) return user;
        return success({ users: await organisations.listMembers(user.value) });
      });
    });
  };
}
