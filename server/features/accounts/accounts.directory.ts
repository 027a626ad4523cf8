/**
 * What other areas may know of organisations, answered from the organisations repository: whether one may
 * trade, its name and region, the verified farms. These rules used to sit in app.ts.
 */
import { pageOf, type PageCursor } from '../../../shared/domain/paging';
import type { OrganisationRepository } from './organisations/organisations.repository';

/** An organisation's region as farms are listed and lots are placed: city and county, "吉安市新干县". */
const regionOf = (organisation: { address: { city: string; county: string } }) =>
  `${organisation.address.city}${organisation.address.county}`;

export function createOrganisationDirectory(organisations: OrganisationRepository) {
  return {
    findOrganisation: (id: string) => organisations.findById(id),
    /** Suspension (or a pending or rejected organisation) stops new trades on both sides, not just the caller's. */
    isTrading: async (id: string, kind?: 'farm' | 'restaurant') => {
      const organisation = await organisations.findById(id);
      return organisation?.verification === 'verified' && (kind === undefined || organisation.kind === kind);
    },
    organisationName: async (id: string) => (await organisations.findById(id))?.name,
    organisationRegion: async (id: string) => {
      const organisation = await organisations.findById(id);
      return organisation ? regionOf(organisation) : undefined;
    },
    /** The profile location (lat/lng): a farm's default pickup point, a buyer's delivery point. */
    organisationLocation: async (id: string) => (await organisations.findById(id))?.location,
    /** Contact phone and registered address as one line (orders: delivery/pickup address, the parties' phones). */
    organisationContact: async (id: string) => {
      const o = await organisations.findById(id);
      if (!o) return undefined;
      const a = o.address as { province: string; city: string; county: string; township?: string; village?: string };
      return {
        phone: o.contactPhone,
        address: [a.province, a.city, a.county, a.township, a.village].filter(Boolean).join(''),
      };
    },
    /** Verified farms by name (GET /api/farms): who and where, nothing more. */
    /** A page of them in the order they joined (the client sorts by name what it has read). */
    listFarms: async ({ limit, after }: { limit: number; after?: PageCursor }) =>
      pageOf(
        await organisations.listVerifiedFarms({ limit: limit + 1, ...(after ? { after } : {}) }),
        limit,
        (o) => ({ sort: 'farms-oldest', keys: [o.createdAt.getTime()], id: o.id }),
        (o) => ({ id: o.id, name: o.name, region: regionOf(o) }),
      ),
  };
}
