import type { MeResponse } from '../../../../shared/schemas/accounts';
import { socketHandler } from '../../../realtime/handler';
import { success } from '../../../outcome';
import type { AccountsService } from './accounts.service';

/** `session:whoami`: public; null for a socket without a session. */
export const whoamiHandler = ({ accounts }: { accounts: AccountsService }) =>
  socketHandler({
    event: 'session:whoami',
    access: 'public',
    payload: 'none',
    handle: async ({ user }) => (user ? accounts.me(user.id) : success<MeResponse | null>(null)),
  });
