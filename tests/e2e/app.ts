import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { openDatabase } from '../../server/db';
import { createApp } from '../../server/app';
import { createRealtime } from '../../server/realtime';
import { createUserRepository } from '../../server/features/accounts/users/accounts.repository';
import { createOrganisationRepository } from '../../server/features/accounts/organisations/organisations.repository';
import { createPasswordHasher } from '../../server/features/accounts/users/passwords';
import { createAdminBootstrap } from '../../server/features/accounts/admin/admin.service';
import { ensureClientBuilt } from '../../scripts/ensure-client';

export interface RunningApp {
  baseUrl: string;
  /** A chamber-of-commerce admin, made the way `npm run create-admin` makes one. */
  createChamberAdmin(input: { phone: string; name: string; password: string }): Promise<void>;
  /** One run of the sweep's standing-order step (market.jobs.ts): active standing orders due soon become proposed orders. */
  proposeStandingOrders(): Promise<number>;
  /**
   * What the network does to one client→server socket event from now on (offline tests): `lose` it on the
   * way (the server never sees it), or let the server do it and `holdAnswer` (its ack never comes back,
   * as when the phone's network drops before the answer arrives); null: deliver it as usual.
   */
  interceptSocketEvent(event: string, how: 'lose' | 'holdAnswer' | null): void;
  close(): Promise<void>;
}

/**
 * The real app in this process: the built client, createApp + createRealtime, the embedded
 * database in a temp DATA_DIR, on 127.0.0.1 and a free port. The port is known before
 * createApp runs, so PUBLIC_URL (the origin the CSRF check expects) is exact.
 */
export async function startApp(): Promise<RunningApp> {
  ensureClientBuilt({ quiet: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshlink-e2e-data-'));
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;

  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    PUBLIC_URL: baseUrl,
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    SESSION_SECRET: 'e2e-only-session-secret-not-for-production',
  });
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config, logger, 'freshlink-e2e');
  const handle = createApp({ config, logger, db, passwordCost: 10 });
  await handle.ready;
  server.on('request', handle.app);
  const realtime = createRealtime(server, handle.realtime);
  const intercepts = new Map<string, 'lose' | 'holdAnswer'>();
  realtime.io.on('connection', (socket) => {
    socket.use((packet, next) => {
      const how = intercepts.get(String(packet[0]));
      if (how === 'lose') return; // never dispatched: the message did not arrive
      if (how === 'holdAnswer' && typeof packet[packet.length - 1] === 'function') packet[packet.length - 1] = () => {};
      next();
    });
  });

  return {
    baseUrl,
    async createChamberAdmin(input) {
      const bootstrap = createAdminBootstrap({
        users: createUserRepository(db.connection),
        organisations: createOrganisationRepository(db.connection),
        hasher: createPasswordHasher(10),
      });
      const result = await bootstrap.upsertAdmin(input);
      if (!result.ok) throw new Error(`could not create the chamber admin: ${result.error.message}`);
    },
    proposeStandingOrders: () => handle.market.standingFill.generate(),
    interceptSocketEvent(event, how) {
      if (how) intercepts.set(event, how);
      else intercepts.delete(event);
    },
    async close() {
      await realtime.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handle.close();
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
