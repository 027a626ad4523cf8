import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allowedOrigins, ensureSessionSecret, expectedOrigin, isHttps, loadConfig } from '../../server/config';

describe('allowed origins (CSRF)', () => {
  it('is exactly PUBLIC_URL when set, else the loopback names of PORT', () => {
    expect(allowedOrigins({ publicUrl: 'https://fresh.example.cn', port: 3000 })).toEqual(['https://fresh.example.cn']);
    expect(expectedOrigin({ publicUrl: 'https://fresh.example.cn/app', port: 3000 })).toBe('https://fresh.example.cn');
    expect(allowedOrigins({ publicUrl: undefined, port: 8080 })).toEqual([
      'http://localhost:8080',
      'http://127.0.0.1:8080',
      'http://[::1]:8080',
    ]);
  });

  it('makes cookies Secure only behind https', () => {
    expect(isHttps(loadConfig({ PUBLIC_URL: 'https://fresh.example.cn' }))).toBe(true);
    expect(isHttps(loadConfig({}))).toBe(false);
  });
});

describe('session secret', () => {
  it('uses SESSION_SECRET when set', () => {
    expect(ensureSessionSecret({ sessionSecret: 'x'.repeat(32), dataDir: '/nonexistent' })).toBe('x'.repeat(32));
  });

  it('otherwise generates one under DATA_DIR (mode 0600) and keeps it across restarts', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshlink-secret-'));
    try {
      const first = ensureSessionSecret({ sessionSecret: undefined, dataDir });
      expect(first.length).toBeGreaterThanOrEqual(32);
      const file = path.join(dataDir, 'session-secret');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(ensureSessionSecret({ sessionSecret: undefined, dataDir })).toBe(first);
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'freshlink-secret-'));
      expect(ensureSessionSecret({ sessionSecret: undefined, dataDir: other })).not.toBe(first);
      fs.rmSync(other, { recursive: true, force: true });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a SESSION_SECRET shorter than 16 characters', () => {
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
  });
});

describe('embedded database memory settings', () => {
  it('defaults to 64 MB of cached documents and 128 MB of mapped file, and names a bad value', () => {
    expect(loadConfig({}).embeddedMemory).toEqual({ cacheMB: 64, mapMB: 128 });
    expect(loadConfig({ DB_CACHE_MB: '16', DB_MAP_MB: '0' }).embeddedMemory).toEqual({ cacheMB: 16, mapMB: 0 });
    expect(() => loadConfig({ DB_MAP_MB: '-1' })).toThrow(/DB_MAP_MB/);
    expect(() => loadConfig({ DB_CACHE_MB: 'lots' })).toThrow(/DB_CACHE_MB/);
  });
});
