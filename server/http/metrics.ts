/**
 * Prometheus metrics (issue 11): `GET /metrics` in the text format, behind `Authorization: Bearer
 * $METRICS_TOKEN`; without METRICS_TOKEN the route does not exist (404), so nothing is exposed by default.
 * Each app process has its own registry; Prometheus scrapes every process and sums (docs/grafana-dashboard.json).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler, Router } from 'express';
import express from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The chamber's figures, read from the database when Prometheus scrapes (see metrics-market.ts). */
export interface MarketFigures {
  openLots: number;
  gramsAtRisk: number;
  gramsSpoiled: number;
  ordersConfirmed: number;
}

export interface Metrics {
  registry: Registry;
  /** Times every request; labelled with the matched Express route, never the raw URL (bounded cardinality). */
  httpTimer: RequestHandler;
  /** `/metrics`; mount it on the app before the 404 handler. 404 when no token is configured. */
  router: Router;
  socketConnected(): void;
  socketDisconnected(): void;
  socketEvent(name: string): void;
  sweepRun(outcome: 'ok' | 'failed'): void;
  dbCommand(name: string, seconds: number): void;
}

export interface MetricsOptions {
  /** METRICS_TOKEN; undefined: `/metrics` answers 404. */
  token: string | undefined;
  /** The chamber's gauges; read at scrape time. Absent: those gauges stay 0. */
  marketFigures?: () => Promise<MarketFigures>;
  /** Default process metrics (CPU, heap, event-loop lag); off in tests. */
  processMetrics?: boolean;
}

/** Socket event names come from clients: only names the server knows are labels, the rest are `other`. */
const MAX_EVENT_NAMES = 200;

const digest = (value: string) => createHash('sha256').update(value).digest();

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const http = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const sockets = new Gauge({ name: 'socket_connections', help: 'Open socket.io connections', registers: [registry] });
  const socketEvents = new Counter({
    name: 'socket_events_total',
    help: 'Socket events received, by name',
    labelNames: ['event'],
    registers: [registry],
  });
  const sweeps = new Counter({
    name: 'market_sweep_runs_total',
    help: 'Market sweep runs by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const db = new Histogram({
    name: 'db_command_duration_seconds',
    help: 'Database command latency by command name',
    labelNames: ['command'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const figures = options.marketFigures;
  let pending: Promise<MarketFigures | null> | undefined;
  /** One database read per scrape, shared by the four gauges. */
  const readFigures = () => {
    pending ??= (figures ? figures() : Promise.resolve(null))
      .catch(() => null)
      .finally(() => setTimeout(() => (pending = undefined), 0));
    return pending;
  };
  const business = (name: string, help: string, pick: (f: MarketFigures) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const f = await readFigures();
        if (f) this.set(pick(f));
      },
    });
  business('freshlink_open_lots', 'Lots open for sale', (f) => f.openLots);
  business('freshlink_grams_at_risk', 'Grams in open lots expiring within 48 h', (f) => f.gramsAtRisk);
  business('freshlink_grams_spoiled_total', 'Grams recorded as spoiled when lots expired', (f) => f.gramsSpoiled);
  business('freshlink_orders_confirmed_total', 'Orders that were ever confirmed', (f) => f.ordersConfirmed);

  const knownEvents = new Set<string>();
  const httpTimer: RequestHandler = (req, res, next) => {
    const end = http.startTimer();
    res.once('finish', () => {
      // req.route is the matched pattern (e.g. /lots/:id); unmatched requests share one label.
      const route = req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };

  const router = express.Router();
  const expected = options.token ? digest(`Bearer ${options.token}`) : undefined;
  router.get('/metrics', async (req, res, next) => {
    if (!expected) return next(); // → the app's 404
    const given = digest(req.headers.authorization ?? '');
    if (!timingSafeEqual(given, expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Metrics need the Bearer token.' } });
      return;
    }
    res.setHeader('Content-Type', registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(await registry.metrics());
  });

  return {
    registry,
    httpTimer,
    router,
    socketConnected: () => sockets.inc(),
    socketDisconnected: () => sockets.dec(),
    socketEvent(name) {
      if (!knownEvents.has(name) && knownEvents.size >= MAX_EVENT_NAMES) name = 'other';
      knownEvents.add(name);
      socketEvents.inc({ event: name });
    },
    sweepRun: (outcome) => sweeps.inc({ outcome }),
    dbCommand: (name, seconds) => db.observe({ command: name }, seconds),
  };
}
