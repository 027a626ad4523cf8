import { success } from '../../../outcome';
import { socketHandler } from '../../../realtime/handler';
import type { OrganisationsService } from './organisations.service';

/** `members:list`: the caller's colleagues. */
export const membersListHandler = ({ organisations }: { organisations: OrganisationsService }) =>
  socketHandler({
    event: 'members:list',
    access: 'signed-in',
    payload: 'none',
    handle: async ({ user }) => success({ users: await organisations.listMembers(user) }),
  });
