import { pageOf, type Page, type PageCursor } from '../../../../shared/domain/paging';
import { canGrantAdmin, canManageMembers, canReviewOrganisations } from '../../../../shared/domain/permissions';
import { decideVerification } from '../../../../shared/domain/verification';
import type { AdminPageQuery } from '../../../../shared/schemas/accounts';
import type {
  AddMemberResponse,
  AuditEntry,
  GeoLocation,
  Locale,
  Organisation,
  User,
  UserRole,
  VerificationAction,
} from '../../../../shared/schemas/accounts';
import { failure, success, type Outcome } from '../../../outcome';
import type { Publisher } from '../../../realtime/hub';
import type { UserRepository } from '../users/accounts.repository';
import { DuplicateKeyError } from '../../../data/duplicate-key';
import type { AuthenticatedUser } from '../users/accounts.types';
import { organisationView, userView } from '../users/accounts.views';
import { generateOneTimePassword, type PasswordHasher } from '../users/passwords';
import type { TokenRepository } from '../tokens/tokens.repository';
import type {
  AuditRecord,
  OrganisationFilter,
  OrganisationRecord,
  OrganisationRepository,
} from './organisations.repository';

export interface OrganisationsDeps {
  organisations: OrganisationRepository;
  users: UserRepository;
  tokens: TokenRepository;
  hasher: PasswordHasher;
  publisher: Publisher;
}

export interface NewMemberInput {
  displayName: string;
  phone?: string;
  email?: string;
  role: UserRole;
  locale?: Locale;
  isAdmin?: boolean;
}

const auditView = (a: AuditRecord): AuditEntry => ({
  id: a.id,
  at: a.at.toISOString(),
  action: a.action,
  organisationId: a.organisationId,
  actor: { id: a.actorId, displayName: a.actorName },
  from: a.from,
  to: a.to,
  ...(a.reason ? { reason: a.reason } : {}),
});

export type OrganisationsService = ReturnType<typeof createOrganisationsService>;

export function createOrganisationsService(deps: OrganisationsDeps) {
  const { organisations, users, tokens, hasher, publisher } = deps;
  const forbidden = () => failure('FORBIDDEN', 'You are not allowed to do this.');

  /** Only farms and restaurants are reviewed; the chamber itself is not in the queue. */
  async function reviewable(id: string): Promise<OrganisationRecord | null> {
    const org = await organisations.findById(id);
    return org && org.kind !== 'chamber' ? org : null;
  }

  return {
    /** A manager sets where the organisation is: the farm's pickup point, the restaurant's delivery point. */
    async setLocation(actor: AuthenticatedUser, location: GeoLocation): Promise<Outcome<Organisation>> {
      // The chamber brokers but neither picks up nor takes delivery: only farms and buyers have a location here.
      if (actor.organisation.kind === 'chamber' || !canManageMembers(actor.principal)) return forbidden();
      const updated = await organisations.setLocation(actor.organisation.id, location);
      return updated ? success(organisationView(updated)) : failure('NOT_FOUND', 'No such organisation.');
    },

    async listMembers(actor: AuthenticatedUser): Promise<User[]> {
      return (await users.listByOrganisation(actor.organisation.id)).map(userView);
    },

    /** One page of the caller's own organisation's people, in the order they joined (keyset pages). */
    async pageMembers(actor: AuthenticatedUser, page: { limit: number; after?: PageCursor }): Promise<Page<User>> {
      const rows = await users.pageByOrganisation(actor.organisation.id, { cursor: page.after, limit: page.limit + 1 });
      return pageOf(
        rows,
        page.limit,
        (u) => ({ sort: 'members-oldest', keys: [u.createdAt.getTime()], id: u.id }),
        userView,
      );
    },

    async addMember(actor: AuthenticatedUser, input: NewMemberInput): Promise<Outcome<AddMemberResponse>> {
      if (!canManageMembers(actor.principal)) return forbidden();
      if (input.isAdmin && !(actor.organisation.kind === 'chamber' && canGrantAdmin(actor.principal))) {
        return failure('FORBIDDEN', 'Only chamber admins can create admins.');
      }
      const existing = await users.findByPhoneOrEmail(input.phone, input.email);
      const fields: Record<string, string> = {};
      if (existing.phone) fields.phone = 'This mobile number is already registered';
      if (existing.email) fields.email = 'This email is already registered';
      if (Object.keys(fields).length > 0) return failure('CONFLICT', 'Already registered', { fields });

      const oneTimePassword = generateOneTimePassword();
      try {
        const user = await users.create({
          organisationId: actor.organisation.id,
          role: input.role,
          isAdmin: Boolean(input.isAdmin),
          displayName: input.displayName,
          phone: input.phone,
          email: input.email,
          passwordHash: await hasher.hash(oneTimePassword),
          locale: input.locale ?? actor.user.locale,
          mustChangePassword: true,
        });
        publisher.toOrganisation(actor.organisation.id, 'organisation:members', {
          organisationId: actor.organisation.id,
          change: 'added',
          userId: user.id,
        });
        return success({ user: userView(user), oneTimePassword });
      } catch (err) {
        const field = err instanceof DuplicateKeyError ? err.field : null;
        if (field === 'phone' || field === 'email')
          return failure('CONFLICT', 'Already registered', { fields: { [field]: 'Already registered' } });
        throw err;
      }
    },

    async updateMember(
      actor: AuthenticatedUser,
      userId: string,
      changes: { role?: UserRole; isAdmin?: boolean },
    ): Promise<Outcome<User>> {
      if (!canManageMembers(actor.principal)) return forbidden();
      if (userId === actor.id) return failure('FORBIDDEN', 'You cannot change your own role.');
      if (changes.isAdmin !== undefined && !(actor.organisation.kind === 'chamber' && canGrantAdmin(actor.principal))) {
        return failure('FORBIDDEN', 'Only chamber admins can grant or withdraw admin.');
      }
      const target = await users.findById(userId);
      if (!target || target.organisationId !== actor.organisation.id) return failure('NOT_FOUND', 'No such colleague.');
      if (
        target.role === 'manager' &&
        changes.role === 'member' &&
        (await users.countManagers(actor.organisation.id)) <= 1
      ) {
        return failure('LAST_MANAGER', 'An organisation needs at least one manager.');
      }
      const updated = await users.updateRoles(target.id, changes);
      if (!updated) return failure('NOT_FOUND', 'No such colleague.');
      publisher.toOrganisation(actor.organisation.id, 'organisation:members', {
        organisationId: actor.organisation.id,
        change: 'updated',
        userId: updated.id,
      });
      return success(userView(updated));
    },

    async removeMember(actor: AuthenticatedUser, userId: string): Promise<Outcome<null>> {
      if (!canManageMembers(actor.principal)) return forbidden();
      if (userId === actor.id) return failure('FORBIDDEN', 'You cannot remove yourself.');
      const target = await users.findById(userId);
      if (!target || target.organisationId !== actor.organisation.id) return failure('NOT_FOUND', 'No such colleague.');
      if (target.role === 'manager' && (await users.countManagers(actor.organisation.id)) <= 1) {
        return failure('LAST_MANAGER', 'An organisation needs at least one manager.');
      }
      await users.deleteById(target.id);
      await tokens.revokeAllForUser(target.id);
      publisher.endUserSockets(target.id, 'removed');
      publisher.toOrganisation(actor.organisation.id, 'organisation:members', {
        organisationId: actor.organisation.id,
        change: 'removed',
        userId: target.id,
      });
      return success(null);
    },

    /** A page of farms and restaurants, newest first (keyset: creation time, then id). */
    async listForReview(actor: AuthenticatedUser, filter: OrganisationFilter): Promise<Outcome<Page<Organisation>>> {
      if (!canReviewOrganisations(actor.principal)) return forbidden();
      const rows = await organisations.list({ ...filter, limit: filter.limit + 1 });
      return success(
        pageOf(
          rows,
          filter.limit,
          (o) => ({ sort: 'organisations-newest', keys: [o.createdAt.getTime()], id: o.id }),
          organisationView,
        ),
      );
    },

    async getForReview(actor: AuthenticatedUser, id: string): Promise<Outcome<Organisation>> {
      if (!canReviewOrganisations(actor.principal)) return forbidden();
      const org = await reviewable(id);
      return org ? success(organisationView(org)) : failure('NOT_FOUND', 'No such organisation.');
    },

    /** A page of the organisation's people, oldest account first. */
    async membersForReview(actor: AuthenticatedUser, id: string, page: AdminPageQuery): Promise<Outcome<Page<User>>> {
      if (!canReviewOrganisations(actor.principal)) return forbidden();
      const org = await reviewable(id);
      if (!org) return failure('NOT_FOUND', 'No such organisation.');
      const rows = await users.pageByOrganisation(org.id, { ...page, limit: page.limit + 1 });
      return success(
        pageOf(
          rows,
          page.limit,
          (u) => ({ sort: 'members-oldest', keys: [u.createdAt.getTime()], id: u.id }),
          userView,
        ),
      );
    },

    /** A page of the decisions on the organisation, newest first. */
    async auditFor(actor: AuthenticatedUser, id: string, page: AdminPageQuery): Promise<Outcome<Page<AuditEntry>>> {
      if (!canReviewOrganisations(actor.principal)) return forbidden();
      const org = await reviewable(id);
      if (!org) return failure('NOT_FOUND', 'No such organisation.');
      const rows = await organisations.auditFor(org.id, { ...page, limit: page.limit + 1 });
      return success(
        pageOf(rows, page.limit, (e) => ({ sort: 'audit-newest', keys: [e.at.getTime()], id: e.id }), auditView),
      );
    },

    /** verify / reject / suspend / reinstate: state machine, compare-and-set, audit entry, live events. */
    async decide(
      actor: AuthenticatedUser,
      id: string,
      action: VerificationAction,
      reason: string | undefined,
      now: Date,
    ): Promise<Outcome<Organisation>> {
      if (!canReviewOrganisations(actor.principal)) return forbidden();
      const org = await reviewable(id);
      if (!org) return failure('NOT_FOUND', 'No such organisation.');
      const decision = decideVerification(org.verification, action);
      if (!decision.ok) return failure('INVALID_TRANSITION', decision.message);
      // No transactions: the audit entry is written first, so a crash can never leave a decision
      // unaudited; if the compare-and-set then loses (someone decided meanwhile) the entry is withdrawn.
      const entry = await organisations.addAudit({
        organisationId: org.id,
        action,
        from: decision.from,
        to: decision.to,
        reason,
        actorId: actor.id,
        actorName: actor.user.displayName,
        at: now,
      });
      const updated = await organisations.setVerification(org.id, decision.from, decision.to, reason, now);
      if (!updated) {
        await organisations.deleteAudit(entry.id);
        return failure('INVALID_TRANSITION', 'Someone else decided on this organisation meanwhile; reload.');
      }
      const at = now.toISOString();
      publisher.toOrganisation(org.id, 'organisation:verification', {
        organisationId: org.id,
        action,
        verification: updated.verification,
        ...(reason ? { reason } : {}),
        at,
      });
      publisher.toChamber('chamber:queue', {
        organisationId: org.id,
        name: org.name,
        verification: updated.verification,
        at,
      });
      return success(organisationView(updated));
    },
  };
}
