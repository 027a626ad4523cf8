import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { scaleConfigOf, scaleEnvSchema, type ScaleConfig } from './scale-config';

/**
 * Configuration comes only from the environment and is validated once at start.
 * A bad value stops the process with a message naming the variable.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.string().url().optional(),
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(8000),
  NOTIFICATION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  // orders (issue 12): how far ahead a standing order's occurrence becomes a proposed order
  STANDING_ORDER_LEAD_HOURS: z.coerce.number().int().min(1).max(168).default(24),
  // the embedded database (issue 10): memory for decoded documents and for the data file's map
  DB_CACHE_MB: z.coerce.number().int().min(0).max(65536).default(64),
  DB_MAP_MB: z.coerce.number().int().min(0).max(65536).default(128),
  // scale-out (issue 11): see server/scale-config.ts
  ...scaleEnvSchema,
});

export interface Config {
  port: number;
  host: string;
  mongodbUri: string | undefined;
  dataDir: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  publicUrl: string | undefined;
  sessionSecret: string | undefined;
  nodeEnv: z.infer<typeof envSchema>['NODE_ENV'];
  shutdownTimeoutMs: number;
  /** Stored notifications are deleted (TTL index) this many days after they were sent. */
  notificationRetentionDays: number;
  /** Scale-out settings (server/scale-config.ts): REDIS_URL, TRUST_PROXY, ALLOWED_ORIGINS, METRICS_TOKEN. */
  scale: ScaleConfig;
  /** Embedded database only: MB of decoded documents cached (DB_CACHE_MB) and of the data file mapped (DB_MAP_MB, 0 = no limit). */
  embeddedMemory?: { cacheMB: number; mapMB: number };
  /** Hours before it is due that a standing order's occurrence becomes a proposed order (default 24). */
  standingOrderLeadHours?: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Treat empty strings as unset so `MONGODB_URI= npm start` means "embedded".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration — ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    dataDir: path.resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    sessionSecret: e.SESSION_SECRET,
    nodeEnv: e.NODE_ENV,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    notificationRetentionDays: e.NOTIFICATION_RETENTION_DAYS,
    scale: scaleConfigOf(e),
    standingOrderLeadHours: e.STANDING_ORDER_LEAD_HOURS,
    embeddedMemory: { cacheMB: e.DB_CACHE_MB, mapMB: e.DB_MAP_MB },
  };
}

/** The origin state-changing requests must come from (CSRF check): PUBLIC_URL, else http://localhost:$PORT. */
export function expectedOrigin(config: Pick<Config, 'publicUrl' | 'port'>): string {
  return new URL(config.publicUrl ?? `http://localhost:${config.port}`).origin;
}

/**
 * Origins accepted on state-changing requests and socket handshakes: exactly PUBLIC_URL's origin when
 * it is set; otherwise the loopback names for PORT (localhost, 127.0.0.1, [::1]) so a local
 * `npm start` works whichever of them the browser was pointed at.
 */
export function allowedOrigins(
  config: Pick<Config, 'publicUrl' | 'port'> & { scale?: Pick<ScaleConfig, 'extraOrigins'> },
): string[] {
  const own = config.publicUrl
    ? [expectedOrigin(config)]
    : [`http://localhost:${config.port}`, `http://127.0.0.1:${config.port}`, `http://[::1]:${config.port}`];
  // ALLOWED_ORIGINS adds to these (e.g. the farm's LAN address for phones on its Wi-Fi).
  return [...new Set([...own, ...(config.scale?.extraOrigins ?? [])])];
}

/** Cookies are Secure only when the app is served over https. */
export const isHttps = (config: Pick<Config, 'publicUrl'>): boolean =>
  config.publicUrl?.startsWith('https://') ?? false;

/**
 * SESSION_SECRET if set; otherwise a random secret generated once and kept in DATA_DIR/session-secret
 * (mode 0600) so that restarts keep sessions. There is deliberately no built-in default.
 */
export function ensureSessionSecret(config: Pick<Config, 'sessionSecret' | 'dataDir'>): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.dataDir, 'session-secret');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    // 'wx': if another node created it meanwhile, use theirs.
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return fs.readFileSync(file, 'utf8').trim();
  }
}
