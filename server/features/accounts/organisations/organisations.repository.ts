import { Types, type Connection } from 'mongoose';
import { rethrowDuplicate } from '../../../data/duplicate-key';
import { dateFromEpoch, keysetAfter, keysetSort, objectIdOf, withKeyset } from '../../../data/keyset';
import type { PageCursor } from '../../../../shared/domain/paging';
import type {
  Address,
  GeoLocation,
  OrganisationKind,
  SignupKind,
  VerificationAction,
  VerificationState,
} from '../../../../shared/schemas/accounts';
import { SIGNUP_KINDS } from '../../../../shared/schemas/accounts';
import { organisationModels } from './organisations.model';
import type { OrganisationRecord } from '../../../principal';

export type { OrganisationRecord } from '../../../principal';

export interface NewOrganisation {
  kind: OrganisationKind;
  name: string;
  creditCode: string;
  contactPhone: string;
  address: Address;
  location?: GeoLocation;
  verification: VerificationState;
}

export interface AuditRecord {
  id: string;
  organisationId: string;
  action: VerificationAction;
  from: VerificationState;
  to: VerificationState;
  reason?: string;
  actorId: string;
  actorName: string;
  at: Date;
}

export interface OrganisationFilter {
  verification?: VerificationState;
  kind?: SignupKind;
  q?: string;
  limit: number;
  /** Rows after this one (keyset: creation time, then id). */
  cursor?: PageCursor;
}

type Lean = Record<string, unknown> & { _id: Types.ObjectId };

function toOrganisation(doc: Lean): OrganisationRecord {
  const address = doc.address as Address;
  const location = doc.location as GeoLocation | undefined;
  return {
    id: String(doc._id),
    kind: doc.kind as OrganisationKind,
    name: doc.name as string,
    creditCode: doc.creditCode as string,
    contactPhone: doc.contactPhone as string,
    address: {
      province: address.province,
      city: address.city,
      county: address.county,
      ...(address.township ? { township: address.township } : {}),
      ...(address.village ? { village: address.village } : {}),
    },
    ...(location && typeof location.lat === 'number' ? { location: { lat: location.lat, lng: location.lng } } : {}),
    verification: doc.verification as VerificationState,
    ...(doc.verificationReason ? { verificationReason: doc.verificationReason as string } : {}),
    ...(doc.verificationDecidedAt ? { verificationDecidedAt: doc.verificationDecidedAt as Date } : {}),
    createdAt: doc.createdAt as Date,
  };
}

function toAudit(doc: Lean): AuditRecord {
  return {
    id: String(doc._id),
    organisationId: String(doc.organisationId),
    action: doc.action as VerificationAction,
    from: doc.from as VerificationState,
    to: doc.to as VerificationState,
    ...(doc.reason ? { reason: doc.reason as string } : {}),
    actorId: String(doc.actorId),
    actorName: doc.actorName as string,
    at: doc.at as Date,
  };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export type OrganisationRepository = ReturnType<typeof createOrganisationRepository>;

export function createOrganisationRepository(connection: Connection) {
  const { Organisation, Audit } = organisationModels(connection);
  return {
    async ensureIndexes(): Promise<void> {
      await Organisation.init();
      await Audit.init();
    },

    async create(input: NewOrganisation): Promise<OrganisationRecord> {
      const doc = await rethrowDuplicate(() => Organisation.create(input));
      return toOrganisation(doc.toObject() as unknown as Lean);
    },

    async findById(id: string): Promise<OrganisationRecord | null> {
      if (!Types.ObjectId.isValid(id)) return null;
      const doc = await Organisation.findById(id).lean<Lean>();
      return doc ? toOrganisation(doc) : null;
    },

    async findByCreditCode(creditCode: string): Promise<OrganisationRecord | null> {
      const doc = await Organisation.findOne({ creditCode }).setOptions({ sanitizeFilter: true }).lean<Lean>();
      return doc ? toOrganisation(doc) : null;
    },

    async findChamber(): Promise<OrganisationRecord | null> {
      const doc = await Organisation.findOne({ kind: 'chamber' }).sort({ createdAt: 1 }).lean<Lean>();
      return doc ? toOrganisation(doc) : null;
    },

    /** Farms and restaurants (never the chamber), newest first (then id): `limit` after `filter.cursor`. */
    async list(filter: OrganisationFilter): Promise<OrganisationRecord[]> {
      const query: Record<string, unknown> = { kind: filter.kind ?? { $in: [...SIGNUP_KINDS] } };
      if (filter.verification) query.verification = filter.verification;
      if (filter.q) {
        const pattern = new RegExp(escapeRegExp(filter.q), 'i');
        query.$or = [{ name: pattern }, { creditCode: pattern }];
      }
      const beyond = keysetAfter('createdAt', -1, filter.cursor, dateFromEpoch, objectIdOf);
      const docs = await Organisation.find(withKeyset(query, beyond))
        .sort(keysetSort('createdAt', -1))
        .limit(filter.limit)
        .lean<Lean[]>();
      return docs.map(toOrganisation);
    },

    /**
     * Verified farms in the order they joined (creation time, then id), `limit` after `after`: keyset pages
     * read in the order of `{kind, verification, createdAt, _id}` (GET /api/farms).
     */
    async listVerifiedFarms(page: { limit: number; after?: PageCursor }): Promise<OrganisationRecord[]> {
      const query: Record<string, unknown> = { kind: 'farm', verification: 'verified' };
      if (page.after) {
        const at = new Date(Number(page.after.keys[0]));
        query.createdAt = { $gte: at };
        query.$or = [{ createdAt: { $gt: at } }, { _id: { $gt: new Types.ObjectId(page.after.id) } }];
      }
      const docs = await Organisation.find(query).sort({ createdAt: 1, _id: 1 }).limit(page.limit).lean<Lean[]>();
      return docs.map(toOrganisation);
    },

    /**
     * Compare-and-set on the verification state: succeeds only if the organisation is still `from`,
     * so two staff deciding at once cannot both win. Returns null if it was not.
     */
    async setVerification(
      id: string,
      from: VerificationState,
      to: VerificationState,
      reason: string | undefined,
      at: Date,
    ): Promise<OrganisationRecord | null> {
      const update: Record<string, unknown> = { $set: { verification: to, verificationDecidedAt: at } };
      if (reason && (to === 'rejected' || to === 'suspended')) {
        (update.$set as Record<string, unknown>).verificationReason = reason;
      } else {
        update.$unset = { verificationReason: 1 };
      }
      const doc = await Organisation.findOneAndUpdate({ _id: id, verification: from }, update, {
        returnDocument: 'after',
      }).lean<Lean>();
      return doc ? toOrganisation(doc) : null;
    },

    /** The organisation's profile location (a farm's default pickup point, a buyer's delivery point). */
    async setLocation(id: string, location: GeoLocation): Promise<OrganisationRecord | null> {
      const doc = await Organisation.findOneAndUpdate(
        { _id: id },
        { $set: { location: { lat: location.lat, lng: location.lng } } },
        { returnDocument: 'after' },
      ).lean<Lean>();
      return doc ? toOrganisation(doc) : null;
    },

    async deleteById(id: string): Promise<void> {
      await Organisation.deleteOne({ _id: id });
    },

    async addAudit(entry: Omit<AuditRecord, 'id'>): Promise<AuditRecord> {
      const doc = await Audit.create(entry);
      return toAudit(doc.toObject() as unknown as Lean);
    },

    async deleteAudit(id: string): Promise<void> {
      await Audit.deleteOne({ _id: id });
    },

    /** Decisions on one organisation, newest first (then id): `page.limit` after `page.cursor`. */
    async auditFor(organisationId: string, page: { limit: number; cursor?: PageCursor }): Promise<AuditRecord[]> {
      const beyond = keysetAfter('at', -1, page.cursor, dateFromEpoch, objectIdOf);
      const docs = await Audit.find(withKeyset({ organisationId: String(organisationId) }, beyond))
        .sort(keysetSort('at', -1))
        .limit(page.limit)
        .lean<Lean[]>();
      return docs.map(toAudit);
    },
  };
}
