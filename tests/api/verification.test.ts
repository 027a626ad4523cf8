import express from 'express';
import { startTestApp, emitWithAck, nextEvent, type TestApp } from '../fixtures/test-app';
import { aChamberUser, aFarm, aPendingFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { requireVerified } from '../../server/http/guards';
import { errorHandler } from '../../server/http/error-handler';
import type { Ack } from '../../shared/events';

let app: TestApp;
let staff: Member;
beforeAll(async () => {
  app = await startTestApp();
  staff = await aChamberUser(app, { admin: false });
});
afterAll(async () => {
  await app.close();
});

describe('chamber verification queue', () => {
  it('lists pending organisations, newest first, filterable by state and kind', async () => {
    const farm = await aPendingFarm(app);
    const restaurant = await aRestaurant(app, 'pending');
    const pending = await staff.agent.get<{ items: { id: string; verification: string }[] }>(
      '/api/admin/organisations?verification=pending',
    );
    expect(pending.status).toBe(200);
    const ids = pending.body.items.map((o) => o.id);
    expect(ids.indexOf(restaurant.organisationId)).toBeLessThan(ids.indexOf(farm.organisationId));
    expect(pending.body.items.every((o) => o.verification === 'pending')).toBe(true);
    const farms = await staff.agent.get<{ items: { kind: string }[] }>(
      '/api/admin/organisations?verification=pending&kind=farm',
    );
    expect(farms.body.items.every((o) => o.kind === 'farm')).toBe(true);
    expect((await staff.agent.get('/api/admin/organisations?verification=maybe')).status).toBe(400);
  });

  it('verifies: audit entry, live event to the organisation (not to others), and the organisation can then trade', async () => {
    const farm = await aPendingFarm(app);
    const other = await aPendingFarm(app);
    const farmSocket = await app.socket(farm.agent);
    const otherSocket = await app.socket(other.agent);
    const chamberSocket = await app.socket(staff.agent);
    let otherGotIt = false;
    otherSocket.on('organisation:verification', () => {
      otherGotIt = true;
    });
    const live = nextEvent(farmSocket, 'organisation:verification');
    const queue = nextEvent(chamberSocket, 'chamber:queue');

    const reply = await staff.agent.post(`/api/admin/organisations/${farm.organisationId}/verify`, {
      note: '营业执照已核对',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      organisation: { id: farm.organisationId, verification: 'verified', verificationDecidedAt: expect.any(String) },
    });

    await expect(live).resolves.toMatchObject({
      organisationId: farm.organisationId,
      action: 'verify',
      verification: 'verified',
      reason: '营业执照已核对',
    });
    await expect(queue).resolves.toMatchObject({ organisationId: farm.organisationId, verification: 'verified' });
    await new Promise((r) => setTimeout(r, 100));
    expect(otherGotIt).toBe(false);

    const audit = await staff.agent.get<{ items: Record<string, unknown>[] }>(
      `/api/admin/organisations/${farm.organisationId}/audit`,
    );
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'verify',
        from: 'pending',
        to: 'verified',
        reason: '营业执照已核对',
        actor: { id: staff.userId, displayName: expect.any(String) },
        at: expect.any(String),
      }),
    ]);
    const me = await farm.agent.get('/api/me');
    expect(me.body).toMatchObject({ organisation: { verification: 'verified' } });
  });

  it('rejects with a reason (required), suspends with a reason, reinstates; each audited newest first', async () => {
    const farm = await aPendingFarm(app);
    const url = (action: string) => `/api/admin/organisations/${farm.organisationId}/${action}`;
    const noReason = await staff.agent.post(url('reject'), {});
    expect(noReason.status).toBe(400);
    expect(noReason.body).toMatchObject({ error: { code: 'VALIDATION', fields: { reason: expect.any(String) } } });

    const socket = await app.socket(farm.agent);
    const rejected = nextEvent(socket, 'organisation:verification');
    expect((await staff.agent.post(url('reject'), { reason: '信用代码与营业执照不符' })).body).toMatchObject({
      organisation: { verification: 'rejected', verificationReason: '信用代码与营业执照不符' },
    });
    await expect(rejected).resolves.toMatchObject({ verification: 'rejected', reason: '信用代码与营业执照不符' });

    expect((await staff.agent.post(url('suspend'), { reason: 'x' })).status).toBe(409);
    expect((await staff.agent.post(url('verify'))).status).toBe(200);
    const suspended = await staff.agent.post(url('suspend'), { reason: '食品安全投诉' });
    expect(suspended.body).toMatchObject({
      organisation: { verification: 'suspended', verificationReason: '食品安全投诉' },
    });
    const reinstated = await staff.agent.post(url('reinstate'));
    expect(reinstated.body).toMatchObject({ organisation: { verification: 'verified' } });
    expect(reinstated.body).not.toHaveProperty('organisation.verificationReason');
    const again = await staff.agent.post(url('reinstate'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'INVALID_TRANSITION' } });

    const audit = await staff.agent.get<{ items: { action: string; from: string; to: string }[] }>(url('audit'));
    expect(audit.body.items.map((e) => `${e.action}:${e.from}>${e.to}`)).toEqual([
      'reinstate:suspended>verified',
      'suspend:verified>suspended',
      'verify:rejected>verified',
      'reject:pending>rejected',
    ]);
  });

  it('when two staff decide at once, one wins and only that decision is audited', async () => {
    const other = await aChamberUser(app, { admin: true });
    for (let round = 0; round < 3; round += 1) {
      const farm = await aPendingFarm(app);
      const [a, b] = await Promise.all([
        staff.agent.post(`/api/admin/organisations/${farm.organisationId}/verify`),
        other.agent.post(`/api/admin/organisations/${farm.organisationId}/reject`, { reason: '重复' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const audit = await staff.agent.get<{ items: { action: string }[] }>(
        `/api/admin/organisations/${farm.organisationId}/audit`,
      );
      expect(audit.body.items).toHaveLength(1);
      const winner = a.status === 200 ? 'verify' : 'reject';
      expect(audit.body.items[0].action).toBe(winner);
    }
  });

  it('lets only chamber staff decide: 401 anonymous, 403 farm manager, 404 for the chamber itself', async () => {
    const farm = await aPendingFarm(app);
    expect((await app.agent().post(`/api/admin/organisations/${farm.organisationId}/verify`)).status).toBe(401);
    const verifiedFarm = await aFarm(app);
    const forbidden = await verifiedFarm.agent.post(`/api/admin/organisations/${farm.organisationId}/verify`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(
      (await staff.agent.post(`/api/admin/organisations/${staff.organisationId}/suspend`, { reason: 'x' })).status,
    ).toBe(404);
    expect((await staff.agent.post('/api/admin/organisations/not-an-id/verify')).status).toBe(400);
  });

  it('shows an organisation and its members to chamber staff', async () => {
    const farm = await aPendingFarm(app);
    const one = await staff.agent.get(`/api/admin/organisations/${farm.organisationId}`);
    expect(one.body).toMatchObject({ organisation: { id: farm.organisationId } });
    const members = await staff.agent.get<{ items: { id: string }[] }>(
      `/api/admin/organisations/${farm.organisationId}/members`,
    );
    expect(members.body.items.map((u) => u.id)).toEqual([farm.userId]);
  });

  it('lists the queue over the socket for chamber staff, and refuses others', async () => {
    await aPendingFarm(app);
    const chamberSocket = await app.socket(staff.agent);
    const ack = await emitWithAck<Ack<{ items: { verification: string }[] }>>(chamberSocket, 'chamber:organisations', {
      verification: 'pending',
    });
    expect(ack.ok).toBe(true);
    if (ack.ok) expect(ack.data.items.length).toBeGreaterThan(0);
    const bad = await emitWithAck<Ack<unknown>>(chamberSocket, 'chamber:organisations', { verification: 'maybe' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const farm = await aFarm(app);
    const farmSocket = await app.socket(farm.agent);
    expect(await emitWithAck(farmSocket, 'chamber:organisations', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('requireVerified (the trading guard)', () => {
  it('answers 403 VERIFICATION_PENDING to a pending farm on a trading route, and lets it through once verified', async () => {
    // The guard as the market routes use it: after the app's authentication.
    const trade = express();
    trade.use(app.handle.realtime.auth.authenticate);
    trade.post('/trade', requireVerified, (_req, res) => {
      res.json({ traded: true });
    });
    trade.use(errorHandler);
    const server = trade.listen(0);
    const port = (server.address() as { port: number }).port;
    try {
      const farm = await aPendingFarm(app);
      const call = () =>
        fetch(`http://127.0.0.1:${port}/trade`, { method: 'POST', headers: { cookie: farm.agent.cookie ?? '' } });
      const pending = await call();
      expect(pending.status).toBe(403);
      const body = (await pending.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('VERIFICATION_PENDING');
      expect(body.error.message).toMatch(/verification is pending/);
      expect((await fetch(`http://127.0.0.1:${port}/trade`, { method: 'POST' })).status).toBe(401);
      await staff.agent.post(`/api/admin/organisations/${farm.organisationId}/verify`);
      expect((await call()).status).toBe(200);
    } finally {
      server.close();
    }
  });

  it('guards POST /api/tokens: pending and suspended restaurants cannot mint tokens', async () => {
    const restaurant = await aRestaurant(app, 'pending');
    const pending = await restaurant.agent.post('/api/tokens', { name: 'POS' });
    expect(pending.status).toBe(403);
    expect(pending.body).toMatchObject({ error: { code: 'VERIFICATION_PENDING' } });
    await staff.agent.post(`/api/admin/organisations/${restaurant.organisationId}/verify`);
    expect((await restaurant.agent.post('/api/tokens', { name: 'POS' })).status).toBe(201);
    await staff.agent.post(`/api/admin/organisations/${restaurant.organisationId}/suspend`, { reason: '欠款' });
    const suspended = await restaurant.agent.post('/api/tokens', { name: 'POS 2' });
    expect(suspended.body).toMatchObject({ error: { code: 'ORGANISATION_SUSPENDED' } });
    // Browsing still works.
    expect((await restaurant.agent.get('/api/me')).status).toBe(200);
  });
});
