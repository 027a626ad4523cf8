import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import express from 'express';
import { connectRedis, type RedisLink } from '../../server/realtime/redis-adapter';
import { staticAssets } from '../../server/http/static-assets';
import { precompressDir } from '../../scripts/precompress';
import { aFarm } from '../fixtures/accounts';
import { startRedis, type RedisRun } from '../fixtures/redis-server';
import { startTestApp, type TestApp } from '../fixtures/test-app';

const TOKEN = 'metrics-token-0123456789abcdef';
const silent = { warn: () => undefined, info: () => undefined };

describe('GET /metrics', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => app.close());

  it('refuses a request without the Bearer token, or with the wrong one', async () => {
    const none = await fetch(`${app.baseUrl}/metrics`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${app.baseUrl}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('with the token, answers Prometheus text with request durations by route and the chamber gauges', async () => {
    const farm = await aFarm(app);
    await farm.agent.get('/api/lots?status=open');
    const res = await fetch(`${app.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/lots"/);
    for (const name of [
      'socket_connections',
      'socket_events_total',
      'market_sweep_runs_total',
      'db_command_duration_seconds',
      'freshlink_open_lots',
      'freshlink_grams_at_risk',
      'freshlink_grams_spoiled_total',
      'freshlink_orders_confirmed_total',
    ])
      expect(text).toContain(`# TYPE ${name}`);
    expect(text).toMatch(/db_command_duration_seconds_count\{command="find"\} [1-9]/);
  });
});

describe('without METRICS_TOKEN', () => {
  it('has no /metrics at all (404)', async () => {
    const app = await startTestApp();
    try {
      expect((await fetch(`${app.baseUrl}/metrics`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe('/readyz with Redis', () => {
  let redis: RedisRun;
  let link: RedisLink;
  let app: TestApp;
  beforeAll(async () => {
    redis = await startRedis();
    link = await connectRedis(redis.url, silent);
    app = await startTestApp({ redis: link });
  });
  afterAll(async () => {
    await app.close();
    await link.close();
    await redis.stop();
  });

  it('is ready while Redis answers, and 503 "redis unreachable" once it does not', async () => {
    const up = await fetch(`${app.baseUrl}/readyz`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
    await redis.stop();
    const down = await fetch(`${app.baseUrl}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'redis unreachable' });
  });
});

describe('proxies and origins', () => {
  it('behind a trusted https proxy (TRUST_PROXY), the session cookie is Secure and sign-in sticks', async () => {
    const app = await startTestApp({ env: { TRUST_PROXY: '127.0.0.1/8', PUBLIC_URL: 'https://fresh.example.cn' } });
    try {
      const farm = await aFarm(app).catch(() => null);
      expect(farm).toBeNull(); // the fixture signs up from the app's http origin: refused by CSRF
      const res = await fetch(`${app.baseUrl}/api/auth/signup`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: 'https://fresh.example.cn',
          'x-forwarded-proto': 'https',
          'x-forwarded-for': '203.0.113.9',
        },
        body: JSON.stringify((await import('../fixtures/accounts')).aSignup('farm')),
      });
      expect(res.status).toBe(201);
      expect(res.headers.getSetCookie().join()).toMatch(/fl\.sid=.*Secure/i);
    } finally {
      await app.close();
    }
  });

  it('when PUBLIC_URL is https and a request arrives as plain http from an untrusted hop, then one warning is logged', async () => {
    const logLines: string[] = [];
    const app = await startTestApp({
      logLines,
      env: { TRUST_PROXY: '10.9.9.9', PUBLIC_URL: 'https://fresh.example.cn' },
    });
    try {
      for (let i = 0; i < 3; i++) await fetch(`${app.baseUrl}/api/me`, { headers: { 'x-forwarded-proto': 'https' } });
      const warnings = logLines.filter((l) => l.includes('PUBLIC_URL is https but this request arrived as plain http'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0])).toMatchObject({ level: 40 });
    } finally {
      await app.close();
    }
  });

  it('ALLOWED_ORIGINS adds an origin (a LAN address) that may sign up; others stay refused', async () => {
    const app = await startTestApp({ env: { ALLOWED_ORIGINS: 'http://192.168.1.20:3000' } });
    try {
      const { aSignup } = await import('../fixtures/accounts');
      const post = (origin: string) =>
        fetch(`${app.baseUrl}/api/auth/signup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin, 'x-forwarded-for': '10.1.2.3' },
          body: JSON.stringify(aSignup('farm')),
        });
      expect((await post('http://192.168.1.20:3000')).status).toBe(201);
      expect((await post('http://192.168.1.21:3000')).status).toBe(403);
    } finally {
      await app.close();
    }
  });
});

describe('compression', () => {
  it('compresses JSON over ~1 kB for a client that accepts gzip, and leaves small replies alone', async () => {
    const app = await startTestApp();
    try {
      const big = await rawGet(`${app.baseUrl}/api/openapi.json`, { 'accept-encoding': 'gzip' });
      expect(big.headers['content-encoding']).toBe('gzip');
      expect(JSON.parse(zlib.gunzipSync(big.body).toString())).toHaveProperty('openapi');
      const small = await rawGet(`${app.baseUrl}/healthz`, { 'accept-encoding': 'gzip' });
      expect(small.headers['content-encoding']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('serves pre-compressed assets: brotli, else gzip, else plain, with Vary and immutable hashed files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshlink-static-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    const js = `console.log(${JSON.stringify('鲜'.repeat(2000))});`;
    fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), js);
    fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html><title>x</title>${' '.repeat(2000)}`);
    precompressDir(dir);
    const server = http.createServer(express().use(staticAssets(dir)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const br = await rawGet(`${base}/assets/index-abc123.js`, { 'accept-encoding': 'gzip, br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toMatch(/javascript/);
      expect(br.headers.vary).toMatch(/Accept-Encoding/i);
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(zlib.brotliDecompressSync(br.body).toString()).toBe(js);
      const gz = await rawGet(`${base}/assets/index-abc123.js`, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(zlib.gunzipSync(gz.body).toString()).toBe(js);
      const plain = await rawGet(`${base}/assets/index-abc123.js`, {});
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString()).toBe(js);
      const index = await rawGet(`${base}/`, { 'accept-encoding': 'br' });
      expect(index.headers['content-encoding']).toBe('br');
      expect(index.headers['cache-control']).toBe('no-cache');
      expect(index.headers['content-type']).toMatch(/html/);
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** node:http, so the body arrives exactly as sent (fetch would decompress it). */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}
