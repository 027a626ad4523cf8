import { Types, type Connection } from 'mongoose';
import { rethrowDuplicate } from '../../../data/duplicate-key';
import { dateFromEpoch, keysetAfter, keysetSort, objectIdOf, withKeyset } from '../../../data/keyset';
import type { PageCursor } from '../../../../shared/domain/paging';
import type { Locale, UserRole } from '../../../../shared/schemas/accounts';
import { userModel } from './accounts.model';
import type { UserRecord } from '../../../principal';

export type { UserRecord } from '../../../principal';

/** A user as created: the stored record without what the database assigns. */
export type NewUser = Omit<UserRecord, 'id' | 'sessionEpoch' | 'createdAt'>;

type Lean = Record<string, unknown> & { _id: Types.ObjectId };

function toUser(doc: Lean): UserRecord {
  return {
    id: String(doc._id),
    organisationId: String(doc.organisationId),
    role: doc.role as UserRole,
    isAdmin: Boolean(doc.isAdmin),
    displayName: doc.displayName as string,
    ...(doc.phone ? { phone: doc.phone as string } : {}),
    ...(doc.email ? { email: doc.email as string } : {}),
    passwordHash: doc.passwordHash as string,
    locale: (doc.locale as Locale) ?? 'zh-CN',
    mustChangePassword: Boolean(doc.mustChangePassword),
    sessionEpoch: typeof doc.sessionEpoch === 'number' ? doc.sessionEpoch : 0,
    createdAt: doc.createdAt as Date,
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;

export function createUserRepository(connection: Connection) {
  const User = userModel(connection);
  return {
    async ensureIndexes(): Promise<void> {
      await User.init();
    },

    async create(input: NewUser): Promise<UserRecord> {
      const doc = await rethrowDuplicate(() => User.create(input));
      return toUser(doc.toObject() as unknown as Lean);
    },

    async findById(id: string): Promise<UserRecord | null> {
      if (!Types.ObjectId.isValid(id)) return null;
      const doc = await User.findById(id).lean<Lean>();
      return doc ? toUser(doc) : null;
    },

    /** `login` is a mobile number or a (lower-cased) email; user input, hence sanitizeFilter. */
    async findByLogin(login: string): Promise<UserRecord | null> {
      const filter = login.includes('@') ? { email: login.toLowerCase() } : { phone: login };
      const doc = await User.findOne(filter).setOptions({ sanitizeFilter: true }).lean<Lean>();
      return doc ? toUser(doc) : null;
    },

    async findByPhoneOrEmail(
      phone: string | undefined,
      email: string | undefined,
    ): Promise<{ phone: boolean; email: boolean }> {
      const [byPhone, byEmail] = await Promise.all([
        phone ? User.exists({ phone }).setOptions({ sanitizeFilter: true }) : null,
        email ? User.exists({ email: email.toLowerCase() }).setOptions({ sanitizeFilter: true }) : null,
      ]);
      return { phone: Boolean(byPhone), email: Boolean(byEmail) };
    },

    async listByOrganisation(organisationId: string): Promise<UserRecord[]> {
      const docs = await User.find({ organisationId }).sort({ createdAt: 1 }).lean<Lean[]>();
      return docs.map(toUser);
    },

    /** One organisation's people, oldest account first (then id): `page.limit` after `page.cursor`. */
    async pageByOrganisation(
      organisationId: string,
      page: { limit: number; cursor?: PageCursor },
    ): Promise<UserRecord[]> {
      const beyond = keysetAfter('createdAt', 1, page.cursor, dateFromEpoch, objectIdOf);
      const docs = await User.find(withKeyset({ organisationId: String(organisationId) }, beyond))
        .sort(keysetSort('createdAt', 1))
        .limit(page.limit)
        .lean<Lean[]>();
      return docs.map(toUser);
    },

    async countManagers(organisationId: string): Promise<number> {
      return User.countDocuments({ organisationId, role: 'manager' });
    },

    async updateProfile(id: string, changes: { displayName?: string; locale?: Locale }): Promise<UserRecord | null> {
      const doc = await User.findByIdAndUpdate(id, { $set: changes }, { returnDocument: 'after' }).lean<Lean>();
      return doc ? toUser(doc) : null;
    },

    async updateRoles(id: string, changes: { role?: UserRole; isAdmin?: boolean }): Promise<UserRecord | null> {
      const doc = await User.findByIdAndUpdate(id, { $set: changes }, { returnDocument: 'after' }).lean<Lean>();
      return doc ? toUser(doc) : null;
    },

    /** Sets a new hash and bumps the session epoch in one update, so every other session is dropped. */
    async setPassword(id: string, passwordHash: string, mustChangePassword: boolean): Promise<UserRecord | null> {
      const doc = await User.findByIdAndUpdate(
        id,
        { $set: { passwordHash, mustChangePassword }, $inc: { sessionEpoch: 1 } },
        { returnDocument: 'after' },
      ).lean<Lean>();
      return doc ? toUser(doc) : null;
    },

    async updateAdminProfile(
      id: string,
      changes: { displayName: string; passwordHash: string; isAdmin: boolean },
    ): Promise<UserRecord | null> {
      const doc = await User.findByIdAndUpdate(
        id,
        { $set: { ...changes, mustChangePassword: false }, $inc: { sessionEpoch: 1 } },
        { returnDocument: 'after' },
      ).lean<Lean>();
      return doc ? toUser(doc) : null;
    },

    async deleteById(id: string): Promise<boolean> {
      const result = await User.deleteOne({ _id: id });
      return result.deletedCount === 1;
    },
  };
}
