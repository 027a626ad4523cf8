import { execFile } from 'node:child_process';
import path from 'node:path';
import { startTestApp, type TestApp } from '../fixtures/test-app';
import { aPhone } from '../fixtures/accounts';
import { isValidCreditCode } from '../../shared/domain/credit-code';

const root = path.resolve(__dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

function createAdmin(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      tsx,
      [path.join(root, 'scripts', 'create-admin.ts'), ...args],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          MONGODB_URI: `${app.db.uri}${app.db.connection.name}`,
          LOG_LEVEL: 'silent',
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

describe('npm run create-admin', () => {
  const phone = aPhone();

  it('creates the chamber (verified, valid credit code) and an admin who can sign in', async () => {
    const run = await createAdmin(['--phone', phone, '--name', '王主任'], { ADMIN_PASSWORD: 'Hongguotan-2026-admin' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('南昌市红谷滩区工商联');
    expect(run.stdout).not.toContain('Hongguotan-2026-admin');

    const agent = app.agent();
    await agent.login(phone, 'Hongguotan-2026-admin');
    const me = await agent.get<{
      user: Record<string, unknown>;
      organisation: { kind: string; verification: string; creditCode: string };
    }>('/api/me');
    expect(me.body.user).toMatchObject({ displayName: '王主任', isAdmin: true, mustChangePassword: false });
    expect(me.body.organisation).toMatchObject({
      kind: 'chamber',
      verification: 'verified',
      name: '南昌市红谷滩区工商联',
    });
    expect(isValidCreditCode(me.body.organisation.creditCode)).toBe(true);
  }, 60_000);

  it('updates the same admin (name and password) on a second run, without a second chamber', async () => {
    const run = await createAdmin(['--phone', phone, '--name', '王秘书长'], {
      ADMIN_PASSWORD: 'Another-long-secret-77',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Updated admin 王秘书长/);
    expect(
      (await app.agent().post('/api/auth/login', { login: phone, password: 'Hongguotan-2026-admin' })).status,
    ).toBe(401);
    const agent = app.agent();
    await agent.login(phone, 'Another-long-secret-77');
    expect((await agent.get('/api/me')).body).toMatchObject({ user: { displayName: '王秘书长' } });
    expect(await app.db.connection.collection('organisations').countDocuments({ kind: 'chamber' })).toBe(1);
    expect(await app.db.connection.collection('users').countDocuments({ phone })).toBe(1);
  }, 60_000);

  it('has no default password: without ADMIN_PASSWORD and no terminal it stops', async () => {
    const run = await createAdmin(['--phone', aPhone(), '--name', '无密码'], {});
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/ADMIN_PASSWORD/);
  }, 60_000);

  it('refuses a weak password and a bad phone', async () => {
    const weak = await createAdmin(['--phone', aPhone(), '--name', '弱密码'], { ADMIN_PASSWORD: 'password123' });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/common/);
    const badPhone = await createAdmin(['--phone', '12345', '--name', '错号码'], {
      ADMIN_PASSWORD: 'Another-long-secret-77',
    });
    expect(badPhone.code).toBe(1);
  }, 60_000);
});
