import { checkCreditCode } from '../../../../shared/domain/credit-code';
import { passwordProblem, passwordProblemMessages } from '../../../../shared/domain/password';
import { MOBILE_PATTERN, type Address } from '../../../../shared/schemas/accounts';
import { failure, success, type Outcome } from '../../../outcome';
import type { UserRecord, UserRepository } from '../users/accounts.repository';
import type { PasswordHasher } from '../users/passwords';
import type { OrganisationRecord, OrganisationRepository } from '../organisations/organisations.repository';

const DEFAULT_CHAMBER = {
  name: '南昌市红谷滩区工商联',
  /** A well-formed code (check character per GB 32100-2015) for the bootstrap chamber; change it in the database if needed. */
  creditCode: '51360113MJD000001U',
  address: { province: '江西省', city: '南昌市', county: '红谷滩区' } satisfies Address,
};

export interface AdminBootstrapDeps {
  users: UserRepository;
  organisations: OrganisationRepository;
  hasher: PasswordHasher;
}

export interface UpsertAdminInput {
  phone: string;
  name: string;
  password: string;
  chamberName?: string;
  chamberCreditCode?: string;
}

/** `npm run create-admin`: make sure the chamber exists, then create or update the admin with this phone. */
export function createAdminBootstrap({ users, organisations, hasher }: AdminBootstrapDeps) {
  async function ensureChamber(
    input: UpsertAdminInput,
  ): Promise<Outcome<{ chamber: OrganisationRecord; created: boolean }>> {
    const existing = await organisations.findChamber();
    if (existing) return success({ chamber: existing, created: false });
    const code = checkCreditCode(input.chamberCreditCode ?? DEFAULT_CHAMBER.creditCode);
    if (!code.ok)
      return failure('VALIDATION', 'Invalid chamber credit code', { fields: { chamberCreditCode: code.reason } });
    const chamber = await organisations.create({
      kind: 'chamber',
      name: input.chamberName ?? DEFAULT_CHAMBER.name,
      creditCode: code.code,
      contactPhone: input.phone,
      address: DEFAULT_CHAMBER.address,
      verification: 'verified',
    });
    return success({ chamber, created: true });
  }

  return {
    async upsertAdmin(
      input: UpsertAdminInput,
    ): Promise<
      Outcome<{ user: UserRecord; chamber: OrganisationRecord; createdUser: boolean; createdChamber: boolean }>
    > {
      if (!MOBILE_PATTERN.test(input.phone))
        return failure('VALIDATION', 'Invalid phone', { fields: { phone: 'Must be a mainland mobile number' } });
      const name = input.name.trim();
      if (!name || name.length > 60)
        return failure('VALIDATION', 'Invalid name', { fields: { name: 'Give a name of 1–60 characters' } });
      const problem = passwordProblem(input.password, [input.phone]);
      if (problem)
        return failure('VALIDATION', passwordProblemMessages[problem], {
          fields: { password: passwordProblemMessages[problem] },
        });

      const ensured = await ensureChamber(input);
      if (!ensured.ok) return ensured;
      const { chamber, created: createdChamber } = ensured.value;
      const passwordHash = await hasher.hash(input.password);
      const existing = await users.findByLogin(input.phone);
      if (existing) {
        if (existing.organisationId !== chamber.id) {
          return failure('CONFLICT', 'This phone belongs to a user outside the chamber of commerce', {
            fields: { phone: 'In use' },
          });
        }
        const user = await users.updateAdminProfile(existing.id, { displayName: name, passwordHash, isAdmin: true });
        if (!user) return failure('NOT_FOUND', 'The user disappeared meanwhile; run again');
        return success({ user, chamber, createdUser: false, createdChamber });
      }
      const user = await users.create({
        organisationId: chamber.id,
        role: 'manager',
        isAdmin: true,
        displayName: name,
        phone: input.phone,
        passwordHash,
        locale: 'zh-CN',
        mustChangePassword: false,
      });
      return success({ user, chamber, createdUser: true, createdChamber });
    },
  };
}
