/**
 * The connection indicator (client/src/state/connection.ts): one unanswered heartbeat marks the connection
 * offline and drops the socket (so nothing buffered goes out later); an answered one marks it live.
 */
import { ConnectionStore, keepHeartbeat, type HeartbeatChannel } from '../../client/src/state/connection';

function fakeChannel(answers: boolean) {
  const state = { connected: true, answers, drops: 0 };
  const channel: HeartbeatChannel = {
    get connected() {
      return state.connected;
    },
    beat: () => (state.answers ? Promise.resolve({ ok: true }) : Promise.reject(new Error('timeout'))),
    drop: () => {
      state.drops += 1;
    },
  };
  return { state, channel };
}

function manualTimers() {
  let tick: (() => void) | null = null;
  return {
    timers: { setInterval: (fn: () => void) => (tick = fn), clearInterval: () => (tick = null) },
    beat: async () => {
      tick?.();
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('the heartbeat', () => {
  it('marks the connection live while beats are answered', async () => {
    const connection = new ConnectionStore();
    connection.set(false);
    const { channel } = fakeChannel(true);
    const { timers, beat } = manualTimers();
    keepHeartbeat(channel, connection, { timers });
    await beat();
    expect(connection.state.live).toBe(true);
    expect(connection.offline).toBe(false);
  });

  it('when a beat goes unanswered, marks it offline and drops the socket once', async () => {
    const connection = new ConnectionStore();
    connection.set(true);
    const { state, channel } = fakeChannel(false);
    const { timers, beat } = manualTimers();
    keepHeartbeat(channel, connection, { timers });
    await beat();
    expect(connection.state.live).toBe(false);
    expect(connection.offline).toBe(true);
    expect(state.drops).toBe(1);
  });

  it('the browser saying offline is enough for the banner, even before a beat is missed', () => {
    const connection = new ConnectionStore();
    connection.set(true);
    connection.setBrowserOnline(false);
    expect(connection.offline).toBe(true);
  });

  it('signed out (no live connection wanted) is never "offline"', () => {
    const connection = new ConnectionStore();
    connection.setBrowserOnline(false);
    expect(connection.offline).toBe(false);
  });
});
