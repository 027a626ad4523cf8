/**
 * Names and places of organisations and chamber staff, read through the accounts
 * repositories: the ledger stores a copy (who the farm was, in which village, when the deal
 * was made), so a later rename does not rewrite history.
 */
import type { OrganisationRepository, UserRepository } from '../accounts';
import type { OrganisationKind, VerificationState } from '../../../shared/schemas/accounts';
import type { LatLng } from '../../../shared/domain/matching';

interface DirectoryOrg {
  id: string;
  kind: OrganisationKind;
  verification: VerificationState;
  name: string;
  township?: string;
  village?: string;
  location?: LatLng;
}

export interface Directory {
  organisation(id: string): Promise<DirectoryOrg | null>;
  organisations(ids: readonly string[]): Promise<Map<string, DirectoryOrg>>;
  userName(id: string): Promise<string | null>;
}

export function createDirectory(organisations: OrganisationRepository, users: UserRepository): Directory {
  async function organisation(id: string): Promise<DirectoryOrg | null> {
    const org = await organisations.findById(id);
    if (!org) return null;
    return {
      id: org.id,
      kind: org.kind,
      verification: org.verification,
      name: org.name,
      ...(org.address.township ? { township: org.address.township } : {}),
      ...(org.address.village ? { village: org.address.village } : {}),
      ...(org.location ? { location: org.location } : {}),
    };
  }
  return {
    organisation,
    async organisations(ids) {
      const found = await Promise.all([...new Set(ids)].map(organisation));
      return new Map(found.filter((o): o is DirectoryOrg => o !== null).map((o) => [o.id, o]));
    },
    async userName(id) {
      return (await users.findById(id))?.displayName ?? null;
    },
  };
}
