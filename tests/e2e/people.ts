/**
 * Setting the stage for browser tests: API sessions for sign-ups and verification, and the sign-in a
 * person does in the browser. The people under test act only through the browser.
 */
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { creditCodeCheckChar } from '../../shared/domain/credit-code';
import { startApp, type RunningApp } from './app';
import { DESKTOP, openBrowser, PHONE, type Person } from './browser';

function aCreditCode(): string {
  const first17 = `9336012${String(randomInt(1e9)).padStart(9, '0')}M`;
  return first17 + creditCodeCheckChar(first17);
}
export const aMobile = () => `139${String(randomInt(1e8)).padStart(8, '0')}`;

export type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** An API session (cookie kept) from one client address; a non-2xx answer throws with its body. */
function http(baseUrl: string, ip: string): Call {
  let cookie = '';
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { origin: baseUrl, accept: 'application/json', 'x-forwarded-for': ip };
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('fl.sid='));
    if (set) cookie = set.split(';')[0];
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

export interface Trader {
  phone: string;
  password: string;
  org: string;
}

/** The chamber admin's API session (created and signed in from `ip`), and how it verifies an organisation. */
export async function chamberSession(
  app: RunningApp,
  admin: { phone: string; name: string; password: string },
  ip: string,
): Promise<{ call: Call; verify: (organisationId: string) => Promise<void> }> {
  await app.createChamberAdmin(admin);
  const chamber = http(app.baseUrl, ip);
  await chamber('POST', '/api/auth/login', { login: admin.phone, password: admin.password });
  return {
    call: chamber,
    verify: async (organisationId) => {
      await chamber('POST', `/api/admin/organisations/${organisationId}/verify`, {});
    },
  };
}

/** Creates the chamber admin and signs it in (from `ip`); the returned function verifies an organisation as it. */
export async function chamberVerifier(
  app: RunningApp,
  admin: { phone: string; name: string; password: string },
  ip: string,
): Promise<(organisationId: string) => Promise<void>> {
  return (await chamberSession(app, admin, ip)).verify;
}

/** Signs up a farm or restaurant (from its own client address), has it verified, and returns its session. */
export interface Address {
  province: string;
  city: string;
  county: string;
  township: string;
}

export async function signUpVerified(
  app: RunningApp,
  kind: 'farm' | 'restaurant' | 'canteen' | 'retailer' | 'enterprise',
  who: Trader & { address?: Address },
  verify: (id: string) => Promise<void>,
  ip = `10.9.${kind === 'farm' ? 1 : 2}.${randomInt(1, 250)}`,
): Promise<Call> {
  const call = http(app.baseUrl, ip);
  const r = await call<{ organisation: { id: string } }>('POST', '/api/auth/signup', {
    kind,
    organisation: {
      name: who.org,
      creditCode: aCreditCode(),
      address:
        who.address ??
        (kind === 'farm'
          ? { province: '江西省', city: '吉安市', county: '新干县', township: '金川镇' }
          : { province: '江西省', city: '南昌市', county: '红谷滩区', township: '红谷中大道 1368 号' }),
    },
    user: {
      displayName: kind === 'farm' ? '邹建华' : '胡志强',
      phone: who.phone,
      password: who.password,
      locale: 'zh-CN',
    },
  });
  await verify(r.organisation.id);
  return call;
}

/**
 * A trader signed up, verified and signed in again over the API (the session made at sign-up predates the
 * verification), ready to post lots, bid or buy: the setup most browser tests repeat before the browser opens.
 */
export async function aVerifiedTrader(
  app: RunningApp,
  kind: 'farm' | 'restaurant' | 'canteen' | 'retailer' | 'enterprise',
  who: Trader & { address?: Address },
  verify: (id: string) => Promise<void>,
  ip?: string,
): Promise<Call> {
  const call = await signUpVerified(app, kind, who, verify, ip);
  await call('POST', '/api/auth/login', { login: who.phone, password: who.password });
  return call;
}

/** The sign-in a person does; done when the live connection shows. */
export async function signIn(page: Page, baseUrl: string, who: { phone: string; password: string }) {
  await page.goto(`${baseUrl}/#/login`);
  await page.getByLabel('手机号或邮箱').fill(who.phone);
  await page.getByLabel('密码', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('实时在线').waitFor();
}

/** No table or card wider than the window (a phone must not scroll sideways). */
export async function expectNoSidewaysScroll(page: Page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(over).toBeLessThanOrEqual(1);
}

/** The stage most market browser tests start from: the app, a verified farm and restaurant, a browser each. */
export interface FarmAndBuyer {
  app: RunningApp;
  /** The farm's and the restaurant's API sessions, for what the test sets up rather than tests. */
  farmApi: Call;
  cookApi: Call;
  /** The farmer's browser (always a phone) and the restaurant's. */
  farm: Person;
  cook: Person;
}

/**
 * Starts an app, creates the chamber admin (signed in from `chamberIp`), signs up and verifies the farm and the
 * restaurant, and opens a browser for each: the farm's on a phone, the restaurant's on a phone or a desktop.
 */
export async function aFarmAndABuyerOnline(stage: {
  chamberAdmin: { phone: string; name: string; password: string };
  farmer: Trader;
  buyer: Trader;
  chamberIp: string;
  buyerScreen: 'phone' | 'desktop';
}): Promise<FarmAndBuyer> {
  const app = await startApp();
  try {
    const verify = await chamberVerifier(app, stage.chamberAdmin, stage.chamberIp);
    const farmApi = await signUpVerified(app, 'farm', stage.farmer, verify);
    const cookApi = await signUpVerified(app, 'restaurant', stage.buyer, verify);
    const farm = await openBrowser(PHONE, { mobile: true });
    const cook =
      stage.buyerScreen === 'phone' ? await openBrowser(PHONE, { mobile: true }) : await openBrowser(DESKTOP);
    return { app, farmApi, cookApi, farm, cook };
  } catch (err) {
    await app.close();
    throw err;
  }
}

/** After each test: no browser logged a script or console error. */
export function expectNoBrowserErrors(...people: (Person | undefined)[]) {
  expect(people.flatMap((person) => person?.errors ?? [])).toEqual([]);
}

/** After all: the browsers, then the app (whatever of them was opened). */
export async function closeAll(people: (Person | undefined)[], app: RunningApp | undefined) {
  for (const person of people) await person?.close();
  await app?.close();
}
