/**
 * Accounts, organisations, verification and API tokens: every request and response body
 * of the accounts API (docs/api-accounts.md), shared by client and server.
 */
import { z } from 'zod';
import { cursorText, decodedCursor, pageLimit, pageOfSchema, storedRowCursor } from './paging';
import type { CommonCode } from '../failures';
import { checkCreditCode } from '../domain/credit-code';
import { PASSWORD_MAX_LENGTH, passwordProblem, passwordProblemMessages } from '../domain/password';

// ---------------------------------------------------------------- building blocks

/**
 * Farms sell; every buyer kind (restaurants, enterprise canteens 企业食堂, retailers and supermarkets, other
 * member enterprises) buys alike (shared/domain/permissions.ts `isBuyerKind`); the chamber oversees and may
 * buy directly (农副产品直接采购).
 */
export const BUYER_KINDS = ['restaurant', 'canteen', 'retailer', 'enterprise'] as const;
export type BuyerKind = (typeof BUYER_KINDS)[number];
export const ORGANISATION_KINDS = ['farm', ...BUYER_KINDS, 'chamber'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export const SIGNUP_KINDS = ['farm', ...BUYER_KINDS] as const;
export type SignupKind = (typeof SIGNUP_KINDS)[number];

export const VERIFICATION_STATES = ['pending', 'verified', 'rejected', 'suspended'] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];

export const USER_ROLES = ['manager', 'member'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Mainland mobile number, 11 digits starting 13–19. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;
export const mobileSchema = z
  .string()
  .trim()
  .regex(MOBILE_PATTERN, 'Must be a mainland mobile number (11 digits, 1[3-9]…)');
/** Emails are compared and stored in lower case. */
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email('Must be an email address').max(254));

export const creditCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine((v) => checkCreditCode(v).ok, {
    message: 'Must be an 18-character unified social credit code with a valid check character',
  });

/** A new password: length and common-password rules (shared/domain/password.ts). */
export const newPasswordSchema = z.string().superRefine((value, ctx) => {
  const problem = passwordProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: passwordProblemMessages[problem] });
});

const text = (max: number) => z.string().trim().min(1, 'Required').max(max);

export const addressSchema = z.object({
  province: text(40),
  city: text(40),
  county: text(40),
  township: text(60).optional(),
  village: text(60).optional(),
});
export type Address = z.infer<typeof addressSchema>;

export const locationSchema = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});
export type GeoLocation = z.infer<typeof locationSchema>;

/** PATCH /api/organisation/location: where the organisation is (WGS 84 degrees); the board measures distances from it. */
export const organisationLocationBody = z.strictObject({
  lat: z
    .number({ error: 'must be a latitude in degrees' })
    .min(-90, 'must be from -90 to 90')
    .max(90, 'must be from -90 to 90'),
  lng: z
    .number({ error: 'must be a longitude in degrees' })
    .min(-180, 'must be from -180 to 180')
    .max(180, 'must be from -180 to 180'),
});

export const idSchema = z.string().regex(/^[a-f0-9]{24}$/, 'Must be an id');
export const idParamsSchema = z.object({ id: idSchema });

// ---------------------------------------------------------------- responses

export const organisationSchema = z.object({
  id: z.string(),
  kind: z.enum(ORGANISATION_KINDS),
  name: z.string(),
  creditCode: z.string(),
  contactPhone: z.string(),
  address: addressSchema,
  location: locationSchema.optional(),
  verification: z.enum(VERIFICATION_STATES),
  /** Why it was rejected or suspended; absent otherwise. */
  verificationReason: z.string().optional(),
  /** When the last verification decision was made (ISO 8601). */
  verificationDecidedAt: z.string().optional(),
  createdAt: z.string(),
});
export type Organisation = z.infer<typeof organisationSchema>;

export const userSchema = z.object({
  id: z.string(),
  organisationId: z.string(),
  role: z.enum(USER_ROLES),
  /** Only chamber users can be admins: they manage chamber accounts. */
  isAdmin: z.boolean(),
  displayName: z.string(),
  phone: z.string().optional(),
  email: z.string().optional(),
  locale: z.enum(LOCALES),
  /** When true, only GET /api/me, POST /api/auth/change-password and POST /api/auth/logout work. */
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const meResponseSchema = z.object({ user: userSchema, organisation: organisationSchema });
export type MeResponse = z.infer<typeof meResponseSchema>;
export type SignupResponse = MeResponse;
export const loginResponseSchema = z.object({ user: userSchema });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** VALIDATION only: dotted path → message, e.g. { "user.password": "…" }. */
    fields: z.record(z.string(), z.string()).optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Stable error codes of the accounts API. */
/** The codes the accounts API answers with (shared/failures.ts gives each its reason). */
export type AccountsErrorCode = CommonCode;

// ---------------------------------------------------------------- requests

const contactSchema = z.object({
  phone: mobileSchema.optional(),
  email: emailSchema.optional(),
});

const needsPhoneOrEmail = (v: { phone?: string; email?: string }) => Boolean(v.phone || v.email);
const phoneOrEmailIssue = { message: 'Give a mobile number or an email', path: ['phone'] };

export const signupRequestSchema = z
  .object({
    kind: z.enum(SIGNUP_KINDS),
    organisation: z.object({
      name: text(100),
      creditCode: creditCodeSchema,
      /** Defaults to the first manager's mobile number. */
      contactPhone: mobileSchema.optional(),
      address: addressSchema,
      location: locationSchema.optional(),
    }),
    user: contactSchema
      .extend({
        displayName: text(60),
        password: newPasswordSchema,
        locale: z.enum(LOCALES).optional(),
      })
      .refine(needsPhoneOrEmail, phoneOrEmailIssue),
  })
  .refine((v) => Boolean(v.organisation.contactPhone || v.user.phone), {
    message: 'Give a contact phone (or a mobile number for the user)',
    path: ['organisation', 'contactPhone'],
  });
export type SignupRequest = z.input<typeof signupRequestSchema>;

export const loginRequestSchema = z.object({
  /** Mobile number or email. */
  login: z.string().trim().min(1, 'Required').max(254),
  password: z.string().min(1, 'Required').max(PASSWORD_MAX_LENGTH),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const changePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1, 'Required').max(PASSWORD_MAX_LENGTH),
  newPassword: newPasswordSchema,
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

export const updateMeRequestSchema = z
  .object({ displayName: text(60).optional(), locale: z.enum(LOCALES).optional() })
  .refine((v) => v.displayName !== undefined || v.locale !== undefined, {
    message: 'Nothing to change',
    path: ['displayName'],
  });
export type UpdateMeRequest = z.infer<typeof updateMeRequestSchema>;

export const addMemberRequestSchema = contactSchema
  .extend({
    displayName: text(60),
    role: z.enum(USER_ROLES).default('member'),
    locale: z.enum(LOCALES).optional(),
    /** Chamber organisation only, and only an admin may set it. */
    isAdmin: z.boolean().optional(),
  })
  .refine(needsPhoneOrEmail, phoneOrEmailIssue);
export type AddMemberRequest = z.input<typeof addMemberRequestSchema>;

/** Managers change a colleague's role; chamber admins also grant or withdraw admin. Not for yourself. */
export const updateMemberRequestSchema = z
  .object({ role: z.enum(USER_ROLES).optional(), isAdmin: z.boolean().optional() })
  .refine((v) => v.role !== undefined || v.isAdmin !== undefined, { message: 'Nothing to change', path: ['role'] });
export type UpdateMemberRequest = z.infer<typeof updateMemberRequestSchema>;
export const memberResponseSchema = z.object({ user: userSchema });
export type MemberResponse = z.infer<typeof memberResponseSchema>;

/** A new colleague (or a reset password) gets a one-time password, shown once; it must be changed at first sign-in. */
export const oneTimePasswordResponseSchema = z.object({ oneTimePassword: z.string() });
export type OneTimePasswordResponse = z.infer<typeof oneTimePasswordResponseSchema>;
export const addMemberResponseSchema = z.object({ user: userSchema, oneTimePassword: z.string() });
export type AddMemberResponse = z.infer<typeof addMemberResponseSchema>;
export const membersResponseSchema = z.object({ users: z.array(userSchema) });
export type MembersResponse = z.infer<typeof membersResponseSchema>;
/** GET /api/organisation/members: the organisation's people in the order they joined, a page at a time. */
export const memberPageSchema = pageOfSchema(userSchema);
export type MemberPage = z.infer<typeof memberPageSchema>;
export const listMembersQuery = z
  .strictObject({ limit: pageLimit, cursor: cursorText.optional() })
  .transform(({ cursor, ...query }, ctx) => {
    const after = decodedCursor(cursor, { sort: 'members-oldest', keys: 1, idPattern: /^[0-9a-f]{24}$/ }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });

// ---------------------------------------------------------------- chamber: verification

/** Newest registered first, keyset-paged (`limit`, `cursor`; shared/domain/paging.ts). */
export const listOrganisationsQuerySchema = z
  .object({
    verification: z.enum(VERIFICATION_STATES).optional(),
    kind: z.enum(SIGNUP_KINDS).optional(),
    /** Case-insensitive substring of name or credit code. */
    q: z.string().trim().max(100).optional(),
    limit: pageLimit,
    cursor: cursorText.optional(),
  })
  .transform(({ cursor, ...query }, ctx) => {
    const after = storedRowCursor(cursor, { sort: 'organisations-newest', kinds: ['number'] }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });
export type ListOrganisationsQuery = z.input<typeof listOrganisationsQuerySchema>;
export const organisationsResponseSchema = pageOfSchema(organisationSchema);
export type OrganisationsResponse = z.infer<typeof organisationsResponseSchema>;
export const organisationResponseSchema = z.object({ organisation: organisationSchema });
export type OrganisationResponse = z.infer<typeof organisationResponseSchema>;

export const decisionNoteSchema = z.object({ note: z.string().trim().max(500).optional() });
export const decisionReasonSchema = z.object({ reason: text(500) });
export type DecisionNote = z.infer<typeof decisionNoteSchema>;
export type DecisionReason = z.infer<typeof decisionReasonSchema>;

export const VERIFICATION_ACTIONS = ['verify', 'reject', 'suspend', 'reinstate'] as const;
export type VerificationAction = (typeof VERIFICATION_ACTIONS)[number];

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  action: z.enum(VERIFICATION_ACTIONS),
  organisationId: z.string(),
  actor: z.object({ id: z.string(), displayName: z.string() }),
  from: z.enum(VERIFICATION_STATES),
  to: z.enum(VERIFICATION_STATES),
  /** The reason (reject, suspend) or note (verify, reinstate), if any. */
  reason: z.string().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditResponseSchema = pageOfSchema(auditEntrySchema);

/** `?limit=1..200&cursor=` of an organisation's people (oldest account first) or its audit (newest first). */
const adminPage = (sort: string) =>
  z.strictObject({ limit: pageLimit, cursor: cursorText.optional() }).transform(({ cursor, limit }, ctx) => {
    const after = storedRowCursor(cursor, { sort, kinds: ['number'] }, ctx);
    return { limit, ...(after ? { cursor: after } : {}) };
  });
export const adminMembersQuerySchema = adminPage('members-oldest');
export const adminAuditQuerySchema = adminPage('audit-newest');
/** A page of the admin lists: its size and where it starts. */
export type AdminPageQuery = z.output<typeof adminAuditQuerySchema>;
/** An organisation's people as chamber staff read them, a page at a time. */
export const adminMembersResponseSchema = pageOfSchema(userSchema);
export type AdminMembersResponse = z.infer<typeof adminMembersResponseSchema>;
export type AuditResponse = z.infer<typeof auditResponseSchema>;

// ---------------------------------------------------------------- API tokens

export const createTokenRequestSchema = z.object({
  name: text(60),
  /** Omit for a token that never expires. */
  expiresInDays: z.number().int().min(1).max(366).optional(),
});
export type CreateTokenRequest = z.infer<typeof createTokenRequestSchema>;
export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters of the secret, e.g. "fl_AbCd", to recognise it. */
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().optional(),
  expiresAt: z.string().optional(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
/** `secret` ("fl_…") is returned only here, once. */
export const createTokenResponseSchema = z.object({ token: apiTokenSchema, secret: z.string() });
export type CreateTokenResponse = z.infer<typeof createTokenResponseSchema>;
/** GET /api/tokens: the person's own tokens, newest made first, a page at a time. */
export const tokenPageSchema = pageOfSchema(apiTokenSchema);
export type TokenPage = z.infer<typeof tokenPageSchema>;
export const listTokensQuery = z
  .strictObject({ limit: pageLimit, cursor: cursorText.optional() })
  .transform(({ cursor, ...query }, ctx) => {
    const after = decodedCursor(cursor, { sort: 'tokens-newest', keys: 1, idPattern: /^[0-9a-f]{24}$/ }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });
