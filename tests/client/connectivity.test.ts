/**
 * The connection indicator (client/src/state/connection.ts): beats go out every 0.8 s, several in flight;
 * what marks an outage is the silence since the last answer (the indicator changes within 3 s and the socket
 * is dropped, so nothing buffered goes out later), never one slow round trip: a phone whose answers take
 * 2.5 s but keep coming stays live.
 */
import {
  ConnectionStore,
  keepHeartbeat,
  looksOffline,
  OFFLINE_RULE,
  type HeartbeatChannel,
} from '../../client/src/state/connection';

/** A virtual clock: intervals and the network's delays run in order, with the promises they settle. */
function virtualTime() {
  let now = 0;
  let seq = 0;
  let due: { at: number; seq: number; fn: () => void; every?: number }[] = [];
  const at = (ms: number, fn: () => void, every?: number) => {
    const job = { at: now + ms, seq: seq++, fn, every };
    due.push(job);
    return job;
  };
  return {
    now: () => now,
    later: (ms: number, fn: () => void) => void at(ms, fn),
    timers: {
      setInterval: (fn: () => void, ms: number) => at(ms, fn, ms),
      clearInterval: (job: unknown) => {
        due = due.filter((j) => j !== job);
      },
    },
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        due.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = due[0];
        if (!next || next.at > end) break;
        now = next.at;
        if (next.every) next.at += next.every;
        else due.shift();
        next.fn();
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
      now = end;
    },
  };
}

/** A socket whose server answers each beat after `roundTripMs`, or never while `down`. */
function network(time: ReturnType<typeof virtualTime>, roundTripMs: number) {
  const state = { connected: true, down: false, roundTripMs, drops: 0 };
  const channel: HeartbeatChannel = {
    get connected() {
      return state.connected;
    },
    beat: (timeoutMs) =>
      new Promise((resolve, reject) => {
        const lost = state.down;
        const rtt = state.roundTripMs;
        if (!lost && rtt <= timeoutMs)
          time.later(rtt, () => (state.down ? reject(new Error('lost')) : resolve({ ok: true })));
        else time.later(timeoutMs, () => reject(new Error('timeout')));
      }),
    drop: () => {
      state.drops += 1;
      state.connected = false;
    },
  };
  return { state, channel };
}

/** Every state the indicator went through, with when. */
function watch(connection: ConnectionStore, time: ReturnType<typeof virtualTime>) {
  const seen: { at: number; live: boolean | null }[] = [];
  connection.subscribe(() => seen.push({ at: time.now(), live: connection.state.live }));
  return seen;
}

describe('the offline rule', () => {
  const rule = OFFLINE_RULE;
  it('one late beat is not an outage; two unanswered beats and 2 s of silence are', () => {
    expect(looksOffline({ connectedAt: 0, lastAnswerAt: 1000, unanswered: 1 }, 5000, rule)).toBe(false);
    expect(looksOffline({ connectedAt: 0, lastAnswerAt: 1000, unanswered: 2 }, 2900, rule)).toBe(false);
    expect(looksOffline({ connectedAt: 0, lastAnswerAt: 1000, unanswered: 2 }, 3001, rule)).toBe(true);
  });

  it('before the first answer, the first round trip may take up to 6 s', () => {
    expect(looksOffline({ connectedAt: 0, lastAnswerAt: null, unanswered: 7 }, 5900, rule)).toBe(false);
    expect(looksOffline({ connectedAt: 0, lastAnswerAt: null, unanswered: 8 }, 6100, rule)).toBe(true);
  });
});

describe('the heartbeat', () => {
  it('a phone whose beats take 2.5 s to come back stays live for a minute, and is never dropped', async () => {
    const time = virtualTime();
    const connection = new ConnectionStore();
    connection.set(true);
    const seen = watch(connection, time);
    const { state, channel } = network(time, 2500);
    keepHeartbeat(channel, connection, { timers: time.timers, now: time.now });
    await time.advance(60_000);
    expect(seen.filter((s) => s.live === false)).toEqual([]);
    expect(state.drops).toBe(0);
    expect(connection.offline).toBe(false);
  });

  it('a phone whose round trips vary between 0.2 and 2.6 s stays live', async () => {
    const time = virtualTime();
    const connection = new ConnectionStore();
    connection.set(true);
    const { state, channel } = network(time, 200);
    keepHeartbeat(channel, connection, { timers: time.timers, now: time.now });
    for (let i = 0; i < 60; i++) {
      state.roundTripMs = 200 + ((i * 977) % 2400);
      await time.advance(1000);
    }
    expect(state.drops).toBe(0);
    expect(connection.state.live).toBe(true);
  });

  it.each([300, 2500])(
    'when the network goes (round trips of %i ms), marks it offline within 3 s and drops the socket once',
    async (roundTripMs) => {
      const time = virtualTime();
      const connection = new ConnectionStore();
      connection.set(true);
      const seen = watch(connection, time);
      const { state, channel } = network(time, roundTripMs);
      keepHeartbeat(channel, connection, { timers: time.timers, now: time.now });
      await time.advance(10_000);
      expect(connection.state.live).toBe(true);
      state.down = true;
      const wentAt = time.now();
      await time.advance(5000);
      const offlineAt = seen.find((s) => s.live === false)?.at;
      expect(offlineAt).toBeDefined();
      expect((offlineAt ?? Infinity) - wentAt).toBeLessThan(3000);
      expect(connection.offline).toBe(true);
      expect(state.drops).toBe(1);
    },
  );

  it('marks the connection live again when beats are answered after a reconnect', async () => {
    const time = virtualTime();
    const connection = new ConnectionStore();
    const { state, channel } = network(time, 300);
    keepHeartbeat(channel, connection, { timers: time.timers, now: time.now });
    state.down = true;
    await time.advance(10_000);
    expect(connection.state.live).toBe(false);
    state.down = false;
    state.connected = true; // socket.io reconnected by itself
    await time.advance(2000);
    expect(connection.state.live).toBe(true);
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
