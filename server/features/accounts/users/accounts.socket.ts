import type { MeResponse } from '../../../../shared/schemas/accounts';
import { ackFunction, answer } from '../../../realtime/ack';
import type { SocketContext } from '../../../realtime/context';
import { success } from '../../../outcome';
import type { AccountsService } from './accounts.service';

/** `session:whoami`: public; null for a socket without a session. */
export function whoamiHandler({ accounts }: { accounts: AccountsService }) {
  return (ctx: SocketContext) => {
    ctx.socket.on('session:whoami', (rawAck: unknown) => {
      const ack = ackFunction<MeResponse | null>(rawAck);
      void answer(ack, ctx.logger, async () => {
        const user = await ctx.currentUser();
        return user ? accounts.me(user.id) : success(null);
      });
    });
  };
}
