import type { AccountsApi } from '../api';
import { readPages } from './pages';

/**
 * Whose deal it is, by name. Lots, offers and orders carry the parties' names as they were when the record
 * was made (docs/market.md); records older than that carry only ids, and only then is the organisations
 * list worth asking.
 */
export interface Parties {
  sellerOrgId: string;
  buyerOrgId?: string;
  sellerName?: string;
  buyerName?: string;
}

/** The other side's name for a viewer on `side`; undefined when the record predates names. */
export function counterpartyName(deal: Parties, side: 'buyer' | 'seller'): string | undefined {
  return side === 'seller' ? deal.buyerName : deal.sellerName;
}

/** A party's name: the one the record carries, else the organisations lookup, else a dash. */
export function partyName(
  recorded: string | undefined,
  orgId: string | undefined,
  lookup: ReadonlyMap<string, string>,
): string {
  return recorded ?? (orgId ? lookup.get(orgId) : undefined) ?? '—';
}

/** Whether any record lacks a party's name, i.e. whether the organisations lookup is needed at all. */
export function needsNameLookup(deals: readonly Parties[]): boolean {
  return deals.some((d) => !d.sellerName || (d.buyerOrgId !== undefined && !d.buyerName));
}

/** Every verified-or-not organisation of a kind, page after page (bounded: readPages' 5 × 200). */
export function allOrganisations(
  api: Pick<AccountsApi, 'organisations'>,
  query: { kind: 'farm' | 'restaurant'; verification?: 'verified' },
) {
  return readPages((cursor) => api.organisations({ ...query, limit: 200, ...(cursor ? { cursor } : {}) }));
}

/** The lookup itself: names by id from the accounts API's organisation list, every page of each kind asked for. */
export async function organisationNames(
  api: Pick<AccountsApi, 'organisations'>,
  kinds: readonly ('farm' | 'restaurant')[],
): Promise<Map<string, string>> {
  const lists = await Promise.all(kinds.map((kind) => allOrganisations(api, { kind })));
  return new Map(lists.flatMap((r) => (r.ok ? r.data.items.map((o) => [o.id, o.name] as const) : [])));
}
