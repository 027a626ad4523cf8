/**
 * npm run seed — the demo world (docs/market-client.md): farms, restaurants and the chamber, all verified,
 * a week of trading history and today's open lots, against the configured database (MONGODB_URI, or the
 * embedded one in DATA_DIR: through the running app's socket when `npm start` runs, else opened here).
 *
 * Everything goes through the real HTTP API of an in-process app whose clock the seed moves through the
 * past week, so every lot, bid and order obeys the market's rules and the sweep records real spoilage.
 * Refuses to run twice on the same database (it looks for the cooperative's credit code).
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../server/config';
import { openDatabase, type Database } from '../server/db';
import { createLogger } from '../server/logger';
import { createApp } from '../server/app';
import { createUserRepository } from '../server/features/accounts/users/accounts.repository';
import { createOrganisationRepository } from '../server/features/accounts/organisations/organisations.repository';
import { createPasswordHasher } from '../server/features/accounts/users/passwords';
import { createAdminBootstrap } from '../server/features/accounts/admin/admin.service';
import {
  CHAMBER_STAFF,
  COOPERATIVE,
  DEMO_PASSWORD,
  OTHER_FARMS,
  RESTAURANTS,
  STANDING_ORDERS,
  type DemoOrg,
} from './seed-world';
import { seedProgrammeFinish, seedProgrammeStart } from './seed-programme';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHANGHAI = 8 * HOUR;
/** How far back the history goes: four weeks, the last of them the busy week with every farm trading. */
const HISTORY_DAYS = 28;
/** The busy last week (and today). */
const BUSY_DAYS = 7;

interface Reply<T> {
  status: number;
  body: T;
}

/** A browser-like client: one session cookie, the app's Origin (CSRF), its own client address (rate limits). */
class Client {
  cookie: string | undefined;
  constructor(
    private readonly baseUrl: string,
    private readonly ip: string,
  ) {}

  async call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Reply<T>> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      origin: this.baseUrl,
      'x-forwarded-for': this.ip,
    };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const setCookie of res.headers.getSetCookie()) {
      const [pair] = setCookie.split(';');
      if (pair.startsWith('fl.sid=')) this.cookie = pair;
    }
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  /** For steps that must work: a failure is a bug in the seed or the app, so it stops the seed. */
  async must<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const r = await this.call<T>(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

interface Trader {
  org: DemoOrg;
  id: string;
  client: Client;
}
interface LotReply {
  id: string;
  remainingGrams: number;
  reservePriceFenPerKg: number;
  askPriceFenPerKg: number;
  expiresAt: string;
  status: string;
}
interface OfferReply {
  id: string;
  status: string;
  quantityGrams: number;
}
interface OrderReply {
  id: string;
  status: string;
  quantityGrams: number;
}

export interface SeedResult {
  signIns: { role: string; name: string; phone: string }[];
  password: string;
  counts: { organisations: number; lots: number; openLots: number; offers: number; orders: number };
}

export class AlreadySeeded extends Error {}

/** A small deterministic generator, so two seeds of fresh databases tell the same story. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/** Midnight in Shanghai of the day containing `at`. */
/** Whole fen per 斤 (an even number of fen per kg), rounded up so a bid never drops below the reserve. */
const evenFen = (fenPerKg: number) => Math.ceil(fenPerKg / 2) * 2;
const shanghaiMidnight = (at: number) => Math.floor((at + SHANGHAI) / DAY) * DAY - SHANGHAI;

export async function seedDemoWorld(
  env: NodeJS.ProcessEnv,
  say: (line: string) => void = () => undefined,
): Promise<SeedResult> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    SESSION_SECRET: env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    LOG_LEVEL: env.SEED_LOG_LEVEL ?? 'silent',
  });
  const logger = createLogger(config.logLevel);
  let db: Database;
  try {
    db = await openDatabase(config, logger, 'freshlink', { shareRunning: true });
  } catch (err) {
    server.close();
    throw err;
  }

  const realNow = Date.now();
  let clock = realNow - (HISTORY_DAYS + 1) * DAY;
  const handle = createApp({ config, logger, db, passwordCost: 10, now: () => new Date(clock) });
  try {
    await handle.ready;
    server.on('request', handle.app);
    if (await db.connection.collection('organisations').findOne({ creditCode: COOPERATIVE.creditCode })) {
      throw new AlreadySeeded(
        `The demo world is already in this database (found ${COOPERATIVE.name}). Use a fresh DATA_DIR (or database) to seed again.`,
      );
    }
    const result = await seed(baseUrl, db, handle.market.jobs.runOnce, (t) => (clock = t), realNow, say);
    return result;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await handle.close();
    await db.close();
  }
}

async function seed(
  baseUrl: string,
  db: Database,
  sweep: () => Promise<unknown>,
  setClock: (t: number) => void,
  realNow: number,
  say: (line: string) => void,
): Promise<SeedResult> {
  let ipCounter = 0;
  const newClient = () => {
    ipCounter += 1;
    return new Client(baseUrl, `10.77.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`);
  };
  const at = async (t: number) => {
    setClock(t);
    await sweep();
  };

  // ---- the chamber: admin made the way `npm run create-admin` makes one, a colleague added over the API
  const [adminStaff, colleague] = CHAMBER_STAFF;
  const bootstrap = createAdminBootstrap({
    users: createUserRepository(db.connection),
    organisations: createOrganisationRepository(db.connection),
    hasher: createPasswordHasher(10),
  });
  const made = await bootstrap.upsertAdmin({ phone: adminStaff.phone, name: adminStaff.name, password: DEMO_PASSWORD });
  if (!made.ok) throw new Error(`chamber admin: ${made.error.message}`);
  const chamber = newClient();
  await chamber.must('POST', '/api/auth/login', { login: adminStaff.phone, password: DEMO_PASSWORD });
  const added = await chamber.must<{ oneTimePassword: string }>('POST', '/api/organisation/members', {
    displayName: colleague.name,
    phone: colleague.phone,
    role: 'member',
  });
  const colleagueClient = newClient();
  await colleagueClient.must('POST', '/api/auth/login', { login: colleague.phone, password: added.oneTimePassword });
  await colleagueClient.must('POST', '/api/auth/change-password', {
    currentPassword: added.oneTimePassword,
    newPassword: DEMO_PASSWORD,
  });
  say(`chamber: ${made.value.chamber.name}, staff ${adminStaff.name} and ${colleague.name}`);

  // ---- farms and restaurants sign up and are verified by the chamber
  const signUp = async (org: DemoOrg): Promise<Trader> => {
    const client = newClient();
    const reply = await client.must<{ organisation: { id: string } }>('POST', '/api/auth/signup', {
      kind: org.kind,
      organisation: { name: org.name, creditCode: org.creditCode, address: org.address, location: org.location },
      user: { displayName: org.person, phone: org.phone, password: DEMO_PASSWORD, locale: 'zh-CN' },
    });
    await chamber.must('POST', `/api/admin/organisations/${reply.organisation.id}/verify`, {
      note: '营业执照与现场核验一致',
    });
    return { org, id: reply.organisation.id, client };
  };
  const coop = await signUp(COOPERATIVE);
  const farms = [coop];
  for (const f of OTHER_FARMS) farms.push(await signUp(f));
  const restaurants: Trader[] = [];
  for (const r of RESTAURANTS) restaurants.push(await signUp(r));
  say(`${farms.length} farms and ${restaurants.length} restaurants signed up and verified`);
  const programme = await seedProgrammeStart({
    chamber,
    cooperativeId: coop.id,
    village: COOPERATIVE.address.village ?? '湖田村',
    restaurantId: restaurants[0].id,
    realNow,
  });

  await coop.client.must('PUT', '/api/capacity', {
    production: (COOPERATIVE.produce ?? []).map((p) => ({ productCode: p.productCode, dailyGrams: p.dailyKg * 1000 })),
    coldStorageGrams: 6_000_000,
    dispatchGramsPerDay: 2_500_000,
    ...(COOPERATIVE.pickup ? { pickup: COOPERATIVE.pickup } : {}),
  });

  // ---- four weeks of trading, day by day (times are Shanghai wall-clock hours of each day)
  const random = rng(20261126);
  const today = shanghaiMidnight(realNow);
  const pending: { order: OrderReply; seller: Trader; buyer: Trader; day: number }[] = [];
  let disputes = 0;

  // Brokered deals (docs/desk.md): a restaurant asks for produce, chamber staff send a farm's lot to it as a
  // brokered offer (POST /api/desk/proposals/send), the restaurant accepts; the ledger records the order.
  const brokers = [chamber, colleagueClient];
  let brokered = 0;
  const brokerDeal = async (day: number, hour: (h: number) => number, lots: { lot: LotReply; farm: Trader }[]) => {
    const { lot, farm } = lots[Math.floor(random() * lots.length)];
    const buyer = restaurants[(day * 5 + brokered) % restaurants.length];
    const kg = 30 + Math.floor(random() * 6) * 10;
    const price = evenFen(lot.reservePriceFenPerKg + (lot.askPriceFenPerKg - lot.reservePriceFenPerKg) * 0.5);
    await at(hour(8.6));
    const wanted = await buyer.client.call<{ id: string }>('POST', '/api/demand', {
      productCode: (lot as LotReply & { productCode: string }).productCode,
      quantityGrams: kg * 1000,
      maxPriceFenPerKg: lot.askPriceFenPerKg,
      neededBy: new Date(Math.min(hour(17), Date.parse(lot.expiresAt) - HOUR)).toISOString(),
    });
    if (wanted.status !== 201) return;
    await at(hour(8.7));
    const sent = await brokers[brokered % brokers.length].call<{ offerId: string }>(
      'POST',
      '/api/desk/proposals/send',
      {
        lotId: lot.id,
        demandId: wanted.body.id,
        quantityGrams: kg * 1000,
        priceFenPerKg: price,
      },
    );
    if (sent.status !== 201) return;
    await at(hour(8.8));
    const r = await buyer.client.call<{ order: OrderReply }>('POST', `/api/offers/${sent.body.offerId}/accept`, {});
    if (r.status === 200) {
      brokered += 1;
      pending.push({ order: r.body.order, seller: farm, buyer, day });
    }
  };

  // The quieter weeks before: the cooperative posts every day, one other farm in turn; a few restaurants
  // buy, the chamber brokers a deal most days, and what nobody bought spoils (the sweep records it).
  for (let day = HISTORY_DAYS; day > BUSY_DAYS; day -= 1) {
    const midnight = today - day * DAY;
    const hour = (h: number) => midnight + h * HOUR;
    await at(hour(6.5));
    const lots: { lot: LotReply; farm: Trader }[] = [];
    const posting = [coop, farms[1 + (day % (farms.length - 1))]];
    for (const farm of posting) {
      for (const p of farm.org.produce ?? []) {
        const kg = Math.round(p.dailyKg * (farm === coop ? 0.5 : 0.8) * (0.85 + random() * 0.3));
        const lot = await farm.client.must<LotReply>('POST', '/api/lots', {
          productCode: p.productCode,
          quantityGrams: kg * 1000,
          harvestedAt: new Date(hour(5)).toISOString(),
          storage: p.storage,
          reservePriceFenPerKg: Math.round(p.reserveYuanPerKg * 100),
          askPriceFenPerKg: Math.round(p.askYuanPerKg * 100),
          grade: '一级',
          ...(farm.org.pickup ? { pickup: farm.org.pickup } : {}),
        });
        lots.push({ lot: { ...lot, productCode: p.productCode } as LotReply, farm });
      }
    }
    await at(hour(8.5));
    for (const p of pending.filter((x) => x.day === day + 1 && x.order.status === 'delivered'))
      p.order = await p.buyer.client.must<OrderReply>('POST', `/api/orders/${p.order.id}/complete`, {});
    if (random() < 0.8) await brokerDeal(day, hour, lots);
    await at(hour(9));
    for (const buyer of restaurants.filter((_, i) => (i + day) % 3 === 0)) {
      const { lot, farm } = lots[Math.floor(random() * lots.length)];
      const offer = await buyer.client.call<OfferReply>('POST', `/api/lots/${lot.id}/bids`, {
        quantityGrams: (20 + Math.floor(random() * 5) * 10) * 1000,
        priceFenPerKg: evenFen(lot.reservePriceFenPerKg + (lot.askPriceFenPerKg - lot.reservePriceFenPerKg) * 0.7),
        validUntil: new Date(hour(14)).toISOString(),
      });
      if (offer.status !== 201) continue;
      await at(hour(10));
      const r = await farm.client.call<{ order: OrderReply }>('POST', `/api/bids/${offer.body.id}/accept`, {});
      if (r.status === 200) pending.push({ order: r.body.order, seller: farm, buyer, day });
    }
    await at(hour(14));
    for (const p of pending.filter((x) => x.day === day && x.order.status === 'confirmed'))
      p.order = await p.seller.client.must<OrderReply>('POST', `/api/orders/${p.order.id}/dispatch`, {});
    await at(hour(18));
    for (const p of pending.filter((x) => x.day === day && x.order.status === 'dispatched'))
      p.order = await p.buyer.client.must<OrderReply>('POST', `/api/orders/${p.order.id}/deliver`, {
        deliveredGrams: p.order.quantityGrams,
      });
    say(
      `day -${day}: ${lots.length} lots, ${pending.filter((x) => x.day === day).length} orders (${brokered} brokered so far)`,
    );
  }

  for (let day = BUSY_DAYS; day >= 0; day -= 1) {
    const midnight = today - day * DAY;
    const isToday = day === 0;
    const hour = (h: number) => midnight + h * HOUR;
    // Today only up to now: the seed never writes the future.
    const clamp = (t: number) => Math.min(t, realNow - 60_000);

    await at(clamp(hour(6.5)));
    const lots: { lot: LotReply; farm: Trader }[] = [];
    for (const farm of farms) {
      for (const p of farm.org.produce ?? []) {
        // The big cooperative posts every day; the others every other day.
        if (farm !== coop && (day + farms.indexOf(farm)) % 2 === 1) continue;
        const kg = Math.round(p.dailyKg * (0.85 + random() * 0.3));
        const lot = await farm.client.must<LotReply>('POST', '/api/lots', {
          productCode: p.productCode,
          quantityGrams: kg * 1000,
          harvestedAt: new Date(clamp(hour(5)) - HOUR).toISOString(),
          storage: p.storage,
          reservePriceFenPerKg: Math.round(p.reserveYuanPerKg * 100),
          askPriceFenPerKg: Math.round(p.askYuanPerKg * 100),
          grade: '一级',
          ...(farm.org.pickup ? { pickup: farm.org.pickup } : {}),
        });
        lots.push({ lot, farm });
      }
    }
    if (isToday) {
      // Today the restaurants have bid on some lots already; the farms have not answered yet.
      for (const [i, buyer] of restaurants.slice(0, 5).entries()) {
        const { lot } = lots[i % lots.length];
        const price = evenFen(lot.reservePriceFenPerKg + (lot.askPriceFenPerKg - lot.reservePriceFenPerKg) * 0.6);
        await buyer.client.must('POST', `/api/lots/${lot.id}/bids`, {
          quantityGrams: (30 + i * 10) * 1000,
          priceFenPerKg: price,
          validUntil: new Date(realNow + 6 * HOUR).toISOString(),
        });
      }
      break;
    }

    // 08:30 yesterday's deliveries are checked: completed (or, rarely, disputed). The day before
    // today stays "delivered": its 24-hour dispute window is still open.
    if (day + 1 >= 2) {
      await at(hour(8.5));
      for (const p of pending.filter((x) => x.day === day + 1 && x.order.status === 'delivered')) {
        if (disputes < 2 && random() < 0.08) {
          disputes += 1;
          p.order = await p.buyer.client.must<OrderReply>('POST', `/api/orders/${p.order.id}/dispute`, {
            note: '部分香菇开伞发黑，约 3 斤不能用',
          });
        } else {
          p.order = await p.buyer.client.must<OrderReply>('POST', `/api/orders/${p.order.id}/complete`, {});
        }
      }
    }

    // 08:36 the chamber brokers a deal; 09:00 the restaurants bid; 10:00 the farms answer; 10:30 buyers take some counters.
    await brokerDeal(day, hour, lots);
    await at(hour(9));
    const bids: { offer: OfferReply; buyer: Trader; farm: Trader; lot: LotReply }[] = [];
    for (const buyer of restaurants) {
      const n = random() < 0.4 ? 2 : 1;
      for (let k = 0; k < n; k += 1) {
        const { lot, farm } = lots[Math.floor(random() * lots.length)];
        const kg = 20 + Math.floor(random() * 9) * 10;
        const price = evenFen(
          lot.reservePriceFenPerKg + (lot.askPriceFenPerKg - lot.reservePriceFenPerKg) * (0.3 + random() * 0.7),
        );
        const r = await buyer.client.call<OfferReply>('POST', `/api/lots/${lot.id}/bids`, {
          quantityGrams: kg * 1000,
          priceFenPerKg: price,
          validUntil: new Date(hour(14)).toISOString(),
        });
        if (r.status === 201) bids.push({ offer: r.body, buyer, farm, lot });
      }
    }
    await at(hour(10));
    const countered: typeof bids = [];
    for (const [i, b] of bids.entries()) {
      const roll = random();
      if (roll < 0.65) {
        const r = await b.farm.client.call<{ order: OrderReply }>('POST', `/api/bids/${b.offer.id}/accept`, {});
        if (r.status === 200) pending.push({ order: r.body.order, seller: b.farm, buyer: b.buyer, day });
      } else if (roll < 0.75) {
        const part = Math.floor(b.offer.quantityGrams / 2 / 1000) * 1000;
        const r = await b.farm.client.call<{ order: OrderReply }>('POST', `/api/bids/${b.offer.id}/accept`, {
          quantityGrams: part,
        });
        if (r.status === 200) pending.push({ order: r.body.order, seller: b.farm, buyer: b.buyer, day });
      } else if (roll < 0.88) {
        const r = await b.farm.client.call<OfferReply>('POST', `/api/bids/${b.offer.id}/counter`, {
          priceFenPerKg: b.lot.askPriceFenPerKg,
        });
        if (r.status === 200 && i % 2 === 0) countered.push(b);
      } else {
        await b.farm.client.call('POST', `/api/bids/${b.offer.id}/reject`, { reason: '这批已留给老客户' });
      }
    }

    await at(hour(10.5));
    for (const b of countered) {
      const r = await b.buyer.client.call<{ order: OrderReply }>('POST', `/api/bids/${b.offer.id}/accept`, {});
      if (r.status === 200) pending.push({ order: r.body.order, seller: b.farm, buyer: b.buyer, day });
    }

    // A clock sale on the cooperative's lot from three days before, which has about a day left.
    if (day <= 4) {
      const old = await coop.client.must<{ items: (LotReply & { productCode: string; clock?: unknown })[] }>(
        'GET',
        `/api/lots?sellerOrgId=${coop.id}&status=open`,
      );
      const ageing = old.items.find(
        (l) => l.productCode === 'shiitake' && !l.clock && Date.parse(l.expiresAt) - hour(11) < 30 * HOUR,
      );
      if (ageing) {
        await at(hour(11));
        await coop.client.call('POST', `/api/lots/${ageing.id}/clock`, {
          startPriceFenPerKg: ageing.askPriceFenPerKg,
          floorHoursBeforeExpiry: 6,
          minTakeGrams: 10_000,
        });
        await at(hour(12));
        for (const buyer of restaurants.slice(day, day + 3)) {
          const r = await buyer.client.call<{ order: OrderReply }>('POST', `/api/lots/${ageing.id}/clock/take`, {
            quantityGrams: 40_000,
          });
          if (r.status === 201) pending.push({ order: r.body.order, seller: coop, buyer, day });
        }
      }
    }

    // 14:00 dispatch, 18:00 delivered. Yesterday's arrive no earlier than 20 h before now, so they are still
    // "delivered" (inside their 24-hour dispute window) whatever the time of day the seed runs.
    await at(hour(14));
    for (const p of pending.filter((x) => x.day === day && x.order.status === 'confirmed')) {
      if (day === 1 && pending.indexOf(p) % 3 === 0) continue; // yesterday: a few still waiting to go out
      p.order = await p.seller.client.must<OrderReply>('POST', `/api/orders/${p.order.id}/dispatch`, {});
    }
    await at(day === 1 ? Math.max(hour(18), realNow - 20 * HOUR) : hour(18));
    for (const p of pending.filter((x) => x.day === day && x.order.status === 'dispatched')) {
      if (day === 1 && pending.indexOf(p) % 3 === 1) continue; // yesterday: some still on the road
      p.order = await p.buyer.client.must<OrderReply>('POST', `/api/orders/${p.order.id}/deliver`, {
        deliveredGrams: p.order.quantityGrams,
      });
    }
    say(`day -${day}: ${lots.length} lots, ${bids.length} bids, ${pending.filter((x) => x.day === day).length} orders`);
  }

  // ---- standing orders and demand for the restaurants that buy every week
  await at(realNow - 60_000);
  const todayDate = new Date(realNow + SHANGHAI).toISOString().slice(0, 10);
  for (const so of STANDING_ORDERS) {
    const farm = farms[so.farm];
    const placed = await restaurants[so.restaurant].client.must<{ id: string }>('POST', '/api/standing-orders', {
      productCode: so.productCode,
      gramsPerOccurrence: so.kgPerDelivery * 1000,
      weekdays: so.weekdays,
      priceFenPerKg: Math.round(so.yuanPerKg * 100),
      startDate: todayDate,
      deliverBy: so.deliverBy,
      ...(so.tolerance ? { tolerance: so.tolerance } : {}),
      sellerOrgId: farm.id,
    });
    if (so.farmAccepts) await farm.client.must('POST', `/api/standing-orders/${placed.id}/accept`, {});
  }
  await restaurants[5].client.call('POST', '/api/demand', {
    productCode: 'oyster_mushroom',
    quantityGrams: 60_000,
    maxPriceFenPerKg: 700,
    neededBy: new Date(today + DAY + 10 * HOUR).toISOString(),
  });
  await sweep();
  await seedProgrammeFinish({
    chamber,
    seeded: programme,
    farmIds: farms.map((f) => f.id),
    restaurantIds: restaurants.map((r) => r.id),
    buyerToInvite: restaurants[1].id,
    realNow,
    canteen: restaurants.find((r) => r.org.kind === 'canteen')?.client,
    cooperative: { id: coop.id, client: coop.client },
  });
  say('programme: a running campaign, a pairing, visits, problems, plans and outcomes');

  const c = db.connection;
  const counts = {
    organisations: await c.collection('organisations').countDocuments({}),
    lots: await c.collection('lots').countDocuments({}),
    openLots: await c.collection('lots').countDocuments({ status: 'open' }),
    offers: await c.collection('offers').countDocuments({}),
    orders: await c.collection('orders').countDocuments({ status: { $nin: ['pending', 'failed'] } }),
  };
  const signIns = [
    { role: '农户（合作社）', name: `${COOPERATIVE.person} · ${COOPERATIVE.name}`, phone: COOPERATIVE.phone },
    ...OTHER_FARMS.map((f) => ({ role: '农户', name: `${f.person} · ${f.name}`, phone: f.phone })),
    ...RESTAURANTS.map((r) => ({ role: '餐厅', name: `${r.person} · ${r.name}`, phone: r.phone })),
    ...CHAMBER_STAFF.map((s) => ({
      role: s.role === 'admin' ? '工商联（管理员）' : '工商联',
      name: s.name,
      phone: s.phone,
    })),
  ];
  return { signIns, password: DEMO_PASSWORD, counts };
}

async function main(): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const result = await seedDemoWorld(process.env, out);
    out('');
    out(
      `Demo world ready: ${result.counts.organisations} organisations, ${result.counts.lots} lots (${result.counts.openLots} open), ${result.counts.offers} bids/offers, ${result.counts.orders} orders.`,
    );
    out(`Sign in with the phone number and the password ${result.password}`);
    for (const s of result.signIns) out(`  ${s.phone}  ${s.role.padEnd(8, '　')} ${s.name}`);
    return 0;
  } catch (err) {
    process.stderr.write(`seed: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof AlreadySeeded ? 3 : 1;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
