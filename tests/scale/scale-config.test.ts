import { loadConfig, allowedOrigins } from '../../server/config';
import { parseOrigins, parseTrustProxy } from '../../server/scale-config';

describe('TRUST_PROXY (Express syntax)', () => {
  it('takes hop counts, true/false, named ranges, IPs and CIDRs', () => {
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('loopback, 10.0.0.0/8, 192.168.1.7, fd00::/8')).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
    ]);
    expect(loadConfig({}).scale.trustProxy).toEqual(['loopback']);
  });

  it('refuses anything else, naming the variable', () => {
    expect(parseTrustProxy('10.0.0.0/33')).toBeNull();
    expect(parseTrustProxy('nginx')).toBeNull();
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });
});

describe('ALLOWED_ORIGINS, REDIS_URL, METRICS_TOKEN', () => {
  it('adds origins to the app’s own', () => {
    expect(parseOrigins('http://192.168.1.20:3000/, https://fresh.example.cn')).toEqual([
      'http://192.168.1.20:3000',
      'https://fresh.example.cn',
    ]);
    const config = loadConfig({ PORT: '3000', ALLOWED_ORIGINS: 'http://192.168.1.20:3000' });
    expect(allowedOrigins(config)).toContain('http://192.168.1.20:3000');
    expect(allowedOrigins(config)).toContain('http://localhost:3000');
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'ftp://x' })).toThrow(/ALLOWED_ORIGINS/);
  });

  it('checks the Redis URL and the metrics token', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).scale.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(loadConfig({}).scale.metricsToken).toBeUndefined();
  });
});
