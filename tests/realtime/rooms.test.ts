import { io as connectSocket } from 'socket.io-client';
import { startTestApp, emitWithAck, nextEvent, type TestApp } from '../fixtures/test-app';
import { aChamberUser, aFarm, aPendingFarm, aPhone, type Member } from '../fixtures/accounts';
import { CHAMBER_ROOM, organisationRoom, userRoom } from '../../server/realtime/hub';
import { MARKET_BOARD_ROOM } from '../../server/features/market';

let app: TestApp;
let staff: Member;
beforeAll(async () => {
  app = await startTestApp();
  staff = await aChamberUser(app, { admin: false });
});
afterAll(async () => {
  await app.close();
});

const roomsOf = async (socketId: string) => {
  const sockets = await app.realtime.io.fetchSockets();
  return [...(sockets.find((s) => s.id === socketId)?.rooms ?? [])].filter((r) => r !== socketId).sort();
};

describe('socket.io shares the HTTP session', () => {
  it('puts a signed-in user in their organisation and user rooms, and on the public market board, only', async () => {
    const farm = await aFarm(app);
    const socket = await app.socket(farm.agent);
    const rooms = await roomsOf(socket.id!);
    expect(rooms.filter((r) => !r.startsWith('sid:'))).toEqual(
      [MARKET_BOARD_ROOM, organisationRoom(farm.organisationId), userRoom(farm.userId)].sort(),
    );
    expect(rooms.filter((r) => r.startsWith('sid:'))).toHaveLength(1);
    const whoami = await emitWithAck(socket, 'session:whoami');
    expect(whoami).toMatchObject({ ok: true, data: { user: { id: farm.userId } } });
  });

  it('puts chamber staff in the chamber room too, where sign-ups are announced', async () => {
    const socket = await app.socket(staff.agent);
    expect(await roomsOf(socket.id!)).toContain(CHAMBER_ROOM);
    const announced = nextEvent(socket, 'chamber:queue');
    const farm = await aPendingFarm(app);
    await expect(announced).resolves.toMatchObject({ organisationId: farm.organisationId, verification: 'pending' });
  });

  it('gives an anonymous socket no rooms and no organisation events', async () => {
    const anonymous = await app.socket();
    expect(await roomsOf(anonymous.id!)).toEqual([]);
    expect(await emitWithAck(anonymous, 'session:whoami')).toEqual({ ok: true, data: null });
    let heard = false;
    anonymous.onAny(() => {
      heard = true;
    });
    const farm = await aPendingFarm(app);
    await staff.agent.post(`/api/admin/organisations/${farm.organisationId}/verify`);
    await new Promise((r) => setTimeout(r, 150));
    expect(heard).toBe(false);
  });

  it('keeps a user who must change their password out of the organisation room', async () => {
    const farm = await aFarm(app);
    const phone = aPhone();
    const added = await farm.agent.post<{ oneTimePassword: string; user: { id: string } }>(
      '/api/organisation/members',
      { displayName: '新人', phone },
    );
    const colleague = app.agent();
    await colleague.login(phone, added.body.oneTimePassword);
    const socket = await app.socket(colleague);
    expect((await roomsOf(socket.id!)).filter((r) => !r.startsWith('sid:'))).toEqual([userRoom(added.body.user.id)]);
  });

  it('ends the session’s sockets at sign-out', async () => {
    const farm = await aFarm(app);
    const socket = await app.socket(farm.agent);
    const ended = nextEvent(socket, 'session:ended');
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    expect((await farm.agent.post('/api/auth/logout')).status).toBe(204);
    await expect(ended).resolves.toEqual({ reason: 'logout' });
    await disconnected;
  });

  it('refuses a handshake from another origin', async () => {
    const socket = connectSocket(app.baseUrl, {
      transports: ['websocket'],
      extraHeaders: { origin: 'https://evil.example' },
      reconnection: false,
      forceNew: true,
    });
    await expect(
      new Promise((resolve, reject) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', reject);
      }),
    ).rejects.toBeDefined();
    socket.close();
  });

  it('survives events without an ack callback or with junk payloads', async () => {
    const socket = await app.socket(staff.agent);
    (socket.emit as (e: string, ...a: unknown[]) => void)('members:list');
    (socket.emit as (e: string, ...a: unknown[]) => void)('chamber:organisations', 'junk');
    const ack = await emitWithAck(socket, 'chamber:organisations', { verification: { $ne: null } });
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await emitWithAck(socket, 'members:list')).toMatchObject({ ok: true });
  });
});
