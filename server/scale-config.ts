import net from 'node:net';
import { z } from 'zod';

/**
 * The settings for running several app processes behind a proxy (issue 11), validated with the rest of
 * the environment in config.ts:
 *  - REDIS_URL: socket.io's Redis Streams adapter and cross-process invalidations; unset = one process.
 *  - TRUST_PROXY: Express's `trust proxy` (hops, `loopback`, `uniquelocal`, IPs and CIDRs, comma-separated).
 *  - ALLOWED_ORIGINS: extra origins for sign-in and sockets, comma-separated (a LAN address, say).
 *  - METRICS_TOKEN: the Bearer token `/metrics` requires; unset = no `/metrics` at all (404).
 */

/** What Express accepts for `trust proxy`: a hop count, or addresses / subnets / named ranges. */
export type TrustProxy = number | boolean | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrSubnet(value: string): boolean {
  if (NAMED_RANGES.has(value)) return true;
  const [address, bits, extra] = value.split('/');
  if (extra !== undefined) return false;
  const family = net.isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** `2`, `true`, `false`, `loopback`, `loopback, 10.0.0.0/8, 192.168.1.7` → Express's value; null when invalid. */
export function parseTrustProxy(raw: string): TrustProxy | null {
  const value = raw.trim();
  if (/^\d{1,2}$/.test(value)) return Number(value);
  if (value === 'true') return true;
  if (value === 'false') return false;
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return parts.length > 0 && parts.every(isAddressOrSubnet) ? parts : null;
}

/** `http://192.168.1.20:3000, https://fresh.example.cn` → their origins; null when one is not an http(s) URL. */
export function parseOrigins(raw: string): string[] | null {
  const origins: string[] = [];
  for (const part of raw.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    try {
      const url = new URL(part);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
      origins.push(url.origin);
    } catch {
      return null;
    }
  }
  return origins;
}

export const scaleEnvSchema = {
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  TRUST_PROXY: z
    .string()
    .refine(
      (v) => parseTrustProxy(v) !== null,
      'must be a hop count, true/false, loopback, or IPs/CIDRs (comma-separated)',
    )
    .default('loopback'),
  ALLOWED_ORIGINS: z
    .string()
    .refine((v) => parseOrigins(v) !== null, 'must be http(s) origins, comma-separated')
    .optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
};

export interface ScaleConfig {
  redisUrl: string | undefined;
  trustProxy: TrustProxy;
  extraOrigins: string[];
  metricsToken: string | undefined;
}

export function scaleConfigOf(env: {
  REDIS_URL?: string;
  TRUST_PROXY: string;
  ALLOWED_ORIGINS?: string;
  METRICS_TOKEN?: string;
}): ScaleConfig {
  return {
    redisUrl: env.REDIS_URL,
    trustProxy: parseTrustProxy(env.TRUST_PROXY) ?? ['loopback'],
    extraOrigins: env.ALLOWED_ORIGINS ? (parseOrigins(env.ALLOWED_ORIGINS) ?? []) : [],
    metricsToken: env.METRICS_TOKEN,
  };
}

export const DEFAULT_SCALE_CONFIG: ScaleConfig = {
  redisUrl: undefined,
  trustProxy: ['loopback'],
  extraOrigins: [],
  metricsToken: undefined,
};
