import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startAppProcess, type AppProcess } from '../fixtures/app-process';

const root = path.resolve(__dirname, '..', '..');

describe('the app process (npm start)', () => {
  let app: AppProcess | undefined;
  afterEach(() => {
    if (app && app.child.exitCode === null) app.child.kill('SIGKILL');
  });

  it('serves health, readiness and the home page on the embedded database, then shuts down cleanly on SIGTERM', async () => {
    app = await startAppProcess();
    const health = await fetch(`${app.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const home = await fetch(`${app.baseUrl}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('鲜链');
    const missing = await fetch(`${app.baseUrl}/api/no-such-thing`);
    expect(missing.status).toBe(404);

    const started = Date.now();
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(app.output()).toContain('bye');
  }, 90_000);

  it('refuses to start with a bad variable and names it', () => {
    const r = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['server/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: 'not-a-port', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/PORT/);
  });
});
