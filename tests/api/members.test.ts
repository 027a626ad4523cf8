import { startTestApp, emitWithAck, nextEvent, type TestApp } from '../fixtures/test-app';
import { aChamberUser, aFarm, aPassword, aPhone, aRestaurant, type Member } from '../fixtures/accounts';

let app: TestApp;
let staff: Member;
let admin: Member;
beforeAll(async () => {
  app = await startTestApp();
  admin = await aChamberUser(app, { admin: true });
  staff = await aChamberUser(app, { admin: false });
});
afterAll(async () => {
  await app.close();
});

interface AddReply {
  user: { id: string; role: string; mustChangePassword: boolean; organisationId: string; isAdmin: boolean };
  oneTimePassword: string;
}

describe('managers add and remove colleagues', () => {
  it('adds a colleague with a one-time password that must be changed at first sign-in', async () => {
    const farm = await aFarm(app);
    const socket = await app.socket(farm.agent);
    const announced = nextEvent(socket, 'organisation:members');
    const phone = aPhone();
    const added = await farm.agent.post<AddReply>('/api/organisation/members', { displayName: '小王', phone });
    expect(added.status).toBe(201);
    expect(added.body.user).toMatchObject({
      role: 'member',
      mustChangePassword: true,
      organisationId: farm.organisationId,
    });
    expect(added.body.oneTimePassword).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    await expect(announced).resolves.toMatchObject({ change: 'added', userId: added.body.user.id });

    const colleague = app.agent();
    const login = await colleague.login(phone, added.body.oneTimePassword);
    expect(login.body).toMatchObject({ user: { mustChangePassword: true } });
    expect((await colleague.get('/api/me')).status).toBe(200);
    const blocked = await colleague.get('/api/organisation/members');
    expect(blocked.status).toBe(403);
    expect(blocked.body).toMatchObject({ error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
    expect((await colleague.patch('/api/me', { displayName: 'x' })).status).toBe(403);
    const colleagueSocket = await app.socket(colleague);
    expect(await emitWithAck(colleagueSocket, 'members:list')).toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_CHANGE_REQUIRED' },
    });

    const newPassword = aPassword();
    expect(
      (await colleague.post('/api/auth/change-password', { currentPassword: added.body.oneTimePassword, newPassword }))
        .status,
    ).toBe(204);
    const members = await colleague.get<{ items: { id: string }[] }>('/api/organisation/members');
    expect(members.status).toBe(200);
    expect(members.body.items.map((u) => u.id).sort()).toEqual([farm.userId, added.body.user.id].sort());
  });

  it('refuses members (non-managers) and duplicates', async () => {
    const farm = await aFarm(app);
    const phone = aPhone();
    const added = await farm.agent.post<AddReply>('/api/organisation/members', { displayName: '小李', phone });
    const member = app.agent();
    await member.login(phone, added.body.oneTimePassword);
    await member.post('/api/auth/change-password', {
      currentPassword: added.body.oneTimePassword,
      newPassword: aPassword(),
    });
    const refused = await member.post('/api/organisation/members', { displayName: '小赵', phone: aPhone() });
    expect(refused.status).toBe(403);
    expect((await member.delete(`/api/organisation/members/${farm.userId}`)).status).toBe(403);
    const duplicate = await farm.agent.post('/api/organisation/members', { displayName: '小李二', phone });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ error: { code: 'CONFLICT', fields: { phone: expect.any(String) } } });
    expect(
      (await farm.agent.post('/api/organisation/members', { displayName: '管理员', phone: aPhone(), isAdmin: true }))
        .status,
    ).toBe(403);
  });

  it('removes a colleague: their session, sockets and listing end; other organisations are out of reach', async () => {
    const farm = await aFarm(app);
    const phone = aPhone();
    const added = await farm.agent.post<AddReply>('/api/organisation/members', {
      displayName: '临时工',
      phone,
      role: 'manager',
    });
    const colleague = app.agent();
    await colleague.login(phone, added.body.oneTimePassword);
    const socket = await app.socket(colleague);
    const ended = nextEvent(socket, 'session:ended');

    const otherFarm = await aFarm(app);
    expect((await otherFarm.agent.delete(`/api/organisation/members/${added.body.user.id}`)).status).toBe(404);
    expect((await farm.agent.delete(`/api/organisation/members/${farm.userId}`)).status).toBe(403);

    expect((await farm.agent.delete(`/api/organisation/members/${added.body.user.id}`)).status).toBe(204);
    await expect(ended).resolves.toEqual({ reason: 'removed' });
    expect((await colleague.get('/api/me')).status).toBe(401);
    const list = await farm.agent.get<{ items: { id: string }[] }>('/api/organisation/members');
    expect(list.body.items.map((u) => u.id)).toEqual([farm.userId]);
  });

  it('changes a colleague’s role (not their own); only chamber admins grant admin', async () => {
    const farm = await aFarm(app);
    const added = await farm.agent.post<AddReply>('/api/organisation/members', {
      displayName: '老张',
      phone: aPhone(),
    });
    // Events are stored before they go out: let the "added" one leave before this socket listens.
    await app.handle.notificationsIdle();
    const socket = await app.socket(farm.agent);
    const announced = nextEvent(socket, 'organisation:members');
    const promoted = await farm.agent.patch(`/api/organisation/members/${added.body.user.id}`, { role: 'manager' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ user: { id: added.body.user.id, role: 'manager' } });
    await expect(announced).resolves.toMatchObject({ change: 'updated', userId: added.body.user.id });
    expect((await farm.agent.patch(`/api/organisation/members/${farm.userId}`, { role: 'member' })).status).toBe(403);
    expect((await farm.agent.patch(`/api/organisation/members/${added.body.user.id}`, { isAdmin: true })).status).toBe(
      403,
    );
    expect((await farm.agent.patch(`/api/organisation/members/${added.body.user.id}`, {})).status).toBe(400);
    const otherFarm = await aFarm(app);
    expect(
      (await otherFarm.agent.patch(`/api/organisation/members/${added.body.user.id}`, { role: 'member' })).status,
    ).toBe(404);

    const colleague = await aChamberUser(app, { admin: false });
    const granted = await admin.agent.patch(`/api/organisation/members/${colleague.userId}`, { isAdmin: true });
    expect(granted.body).toMatchObject({ user: { isAdmin: true } });
    // It applies at once: the new admin can add chamber colleagues on their existing session.
    expect(
      (await colleague.agent.post('/api/organisation/members', { displayName: '又一位', phone: aPhone() })).status,
    ).toBe(201);
  });

  it('in the chamber only admins add colleagues, and only they can make admins', async () => {
    expect(
      (await staff.agent.post('/api/organisation/members', { displayName: '新同事', phone: aPhone() })).status,
    ).toBe(403);
    const added = await admin.agent.post<AddReply>('/api/organisation/members', {
      displayName: '新管理员',
      phone: aPhone(),
      isAdmin: true,
    });
    expect(added.status).toBe(201);
    expect(added.body.user).toMatchObject({ isAdmin: true, organisationId: admin.organisationId });
  });
});

describe('chamber staff reset passwords', () => {
  it('gives a one-time password; the old password and sessions stop working; the user must change it', async () => {
    const restaurant = await aRestaurant(app);
    const socket = await app.socket(restaurant.agent);
    const ended = nextEvent(socket, 'session:ended');
    const reset = await staff.agent.post<{ oneTimePassword: string }>(
      `/api/admin/users/${restaurant.userId}/reset-password`,
    );
    expect(reset.status).toBe(200);
    expect(reset.body.oneTimePassword).toEqual(expect.any(String));
    await expect(ended).resolves.toEqual({ reason: 'password-reset' });
    expect((await restaurant.agent.get('/api/me')).status).toBe(401);
    expect(
      (await app.agent().post('/api/auth/login', { login: restaurant.phone, password: restaurant.password })).status,
    ).toBe(401);

    const agent = app.agent();
    await agent.login(restaurant.phone, reset.body.oneTimePassword);
    expect((await agent.get('/api/me')).body).toMatchObject({ user: { mustChangePassword: true } });
    expect((await agent.get('/api/tokens')).body).toMatchObject({ error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
    const newPassword = aPassword();
    expect(
      (await agent.post('/api/auth/change-password', { currentPassword: reset.body.oneTimePassword, newPassword }))
        .status,
    ).toBe(204);
    expect((await agent.get('/api/me')).body).toMatchObject({ user: { mustChangePassword: false } });
    expect((await agent.get('/api/tokens')).status).toBe(200);
  });

  it('only admins reset chamber users; nobody resets their own; farms cannot reset', async () => {
    const farm = await aFarm(app);
    expect((await staff.agent.post(`/api/admin/users/${admin.userId}/reset-password`)).status).toBe(403);
    expect((await staff.agent.post(`/api/admin/users/${staff.userId}/reset-password`)).status).toBe(403);
    expect((await farm.agent.post(`/api/admin/users/${farm.userId}/reset-password`)).status).toBe(403);
    expect((await staff.agent.post('/api/admin/users/5f0000000000000000000000/reset-password')).status).toBe(404);
    const otherStaff = await aChamberUser(app, { admin: false });
    expect((await admin.agent.post(`/api/admin/users/${otherStaff.userId}/reset-password`)).status).toBe(200);
  });
});
