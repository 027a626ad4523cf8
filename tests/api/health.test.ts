import { loadConfig, ConfigError } from '../../server/config';

describe('configuration', () => {
  it('uses the documented defaults when the environment is empty', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.mongodbUri).toBeUndefined();
    expect(c.logLevel).toBe('info');
  });

  it('names the bad variable when a value is invalid', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ MONGODB_URI: 'postgres://x' })).toThrow(/MONGODB_URI/);
  });
});
