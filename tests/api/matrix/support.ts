/**
 * What the authorisation matrix's rows are made of: the principals, the expectation shorthands,
 * and the context a row uses to build real targets (its own organisations' and another's).
 */
import type { Agent, TestApp } from '../../fixtures/test-app';
import type { Member } from '../../fixtures/accounts';

export const PRINCIPALS = [
  'anonymous',
  'pendingFarm',
  'verifiedFarm',
  'restaurant',
  'pendingRestaurant',
  /** A verified enterprise canteen (企业食堂): buys exactly as a restaurant does. */
  'canteen',
  'chamberStaff',
  'admin',
] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

/** A status, or a status with the error code. */
export type Expectation = number | readonly [number, string];
export type Expectations = Record<PrincipalName, Expectation>;

/** What a row may use: the app, and the principals every row shares (signed in once). */
export interface MatrixContext {
  app: TestApp;
  /** A pending farm nobody may decide on (the test checks its audit stays empty). */
  someFarm: Member;
  /** The shared principal of that name (throws for anonymous). */
  member(name: Exclude<PrincipalName, 'anonymous'>): Member;
}

export interface Cell {
  agent: Agent;
  member: Member | null;
  principal: PrincipalName;
  /** The expected status is 2xx: build a real target. Refusals are checked against an existing target of another organisation. */
  succeeds: boolean;
  ctx: MatrixContext;
}

export interface RouteRow {
  /** Builds the concrete request for this principal (fresh targets where the call changes state). */
  request(cell: Cell): Promise<{ path: string; body?: unknown; headers?: Record<string, string> }>;
  /** The call ends or replaces the principal's session (or password): use a fresh principal. */
  fresh?: boolean;
  expect: Expectations;
  /** After a 2xx: what the body may show this principal (a list holds nothing of another organisation's). Throws if not. */
  check?(body: unknown, cell: Cell): void;
}

/** A socket event's expected ack: `'ok'`, or the error code. */
export type AckExpectation = 'ok' | string;

export interface EventRow {
  /** The emit's arguments (before the ack callback), static or built per cell like a route's request. */
  args: unknown[] | ((cell: Cell) => Promise<unknown[]>);
  expect: Record<PrincipalName, AckExpectation>;
}

export const everyone = (e: Expectation): Expectations =>
  Object.fromEntries(PRINCIPALS.map((p) => [p, e])) as Expectations;
export const signedIn = (e: Expectation): Expectations => ({
  ...everyone(e),
  anonymous: [401, 'UNAUTHENTICATED'] as const,
});
export const chamberOnly = (ok: Expectation): Expectations => ({
  ...signedIn([403, 'FORBIDDEN']),
  chamberStaff: ok,
  admin: ok,
});
export const tokenUsers = (ok: Expectation, pendingRestaurant: Expectation = ok): Expectations => ({
  ...signedIn([403, 'FORBIDDEN']),
  restaurant: ok,
  pendingRestaurant,
  canteen: ok,
  chamberStaff: ok,
  admin: ok,
});

/**
 * A trading route (`requireVerified`): anonymous 401, pending organisations 403 VERIFICATION_PENDING
 * before anything is looked up; the verified farm, restaurant and chamber (staff and admin alike) as given.
 */
export const trading = (e: { farm: Expectation; restaurant: Expectation; chamber: Expectation }): Expectations => ({
  anonymous: [401, 'UNAUTHENTICATED'],
  pendingFarm: [403, 'VERIFICATION_PENDING'],
  verifiedFarm: e.farm,
  restaurant: e.restaurant,
  pendingRestaurant: [403, 'VERIFICATION_PENDING'],
  // Every buyer kind may do what a restaurant may (its own targets: see `ours` in the rows).
  canteen: e.restaurant,
  chamberStaff: e.chamber,
  admin: e.chamber,
});

export const FORBIDDEN = [403, 'FORBIDDEN'] as const;
export const NOT_FOUND = [404, 'NOT_FOUND'] as const;

/**
 * A list check: every item must involve the caller's organisation through one of `fields`
 * (chamber staff, party to nothing, see an empty list).
 */
export const onlyOwn =
  (...fields: string[]) =>
  (body: unknown, { member }: Cell): void => {
    const items = (body as { items?: Record<string, unknown>[] }).items ?? [];
    const foreign = items.filter((item) => !fields.some((f) => item[f] === member?.organisationId));
    if (foreign.length > 0)
      throw new Error(`${foreign.length} item(s) of other organisations listed: ${JSON.stringify(foreign[0])}`);
  };

/** Calls the API as `agent` to set something up; anything but 2xx fails the test with the reply. */
export async function call<T = Record<string, unknown>>(
  agent: Agent,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const reply = await agent.request<T>(method, path, body === undefined ? {} : { body });
  if (reply.status >= 300) throw new Error(`setup ${method} ${path} → ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** One value per app, built on first use (targets shared by the refusal cells of many rows). */
export function perApp<T>(build: (ctx: MatrixContext) => Promise<T>): (ctx: MatrixContext) => Promise<T> {
  const built = new WeakMap<TestApp, Promise<T>>();
  return (ctx) => {
    let value = built.get(ctx.app);
    if (!value) {
      value = build(ctx);
      built.set(ctx.app, value);
    }
    return value;
  };
}
