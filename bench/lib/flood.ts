/**
 * The flood of issue 11 (bench:market (d)): one signed-in user, 4 sockets, ~2,000 events/s for a while,
 * while another user asks `/api/me` in a loop. Measured: the other user's p99 against its idle p99, the
 * app's RSS growth, and how long after the flood stops its last reply (ack, refusal or disconnect) arrives.
 */
import fs from 'node:fs';
import { io as connectSocket, type Socket } from 'socket.io-client';
import type { Agent } from '../../tests/fixtures/test-app';
import { percentile } from './market-stats';

const rssMb = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};

async function meLatencies(agent: Agent, untilMs: number): Promise<number[]> {
  const out: number[] = [];
  while (Date.now() < untilMs) {
    const t = performance.now();
    await agent.get('/api/me');
    out.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  return out;
}

export interface FloodResult {
  idleP99: number;
  floodP99: number;
  rssBefore: number;
  rssPeak: number;
  drainMs: number;
  sent: number;
  answered: number;
  refused: number;
  disconnected: number;
}

export async function flood(options: {
  baseUrl: string;
  pid: number;
  flooder: Agent;
  other: Agent;
  seconds: number;
  eventsPerSecond: number;
}): Promise<FloodResult> {
  const idle = await meLatencies(options.other, Date.now() + 3_000);
  const rssBefore = rssMb(options.pid);
  let rssPeak = rssBefore;
  const sockets: Socket[] = [];
  for (let i = 0; i < 4; i++) {
    const s = connectSocket(options.baseUrl, {
      transports: ['websocket'],
      extraHeaders: { cookie: options.flooder.cookie ?? '' },
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    sockets.push(s);
  }
  let sent = 0;
  let answered = 0;
  let refused = 0;
  let disconnected = 0;
  let lastReplyAt = 0;
  for (const s of sockets)
    s.on('disconnect', () => {
      disconnected += 1;
      lastReplyAt = Date.now();
    });
  const floodEnds = Date.now() + options.seconds * 1000;
  const perTick = Math.max(1, Math.round(options.eventsPerSecond / 100 / sockets.length));
  const ticker = setInterval(() => {
    for (const s of sockets) {
      if (!s.connected) continue;
      for (let k = 0; k < perTick; k++) {
        sent += 1;
        s.emit('session:whoami', (reply: { ok: boolean; error?: { code: string } }) => {
          if (reply?.ok === false && reply.error?.code === 'RATE_LIMITED') refused += 1;
          else answered += 1;
          lastReplyAt = Date.now();
        });
      }
    }
  }, 10);
  const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(options.pid))), 250);
  const during = await meLatencies(options.other, floodEnds);
  clearInterval(ticker);
  const stoppedAt = Date.now();
  // The backlog is gone when nothing more comes back for a quiet second.
  for (;;) {
    const before = lastReplyAt;
    await new Promise((r) => setTimeout(r, 1_000));
    if (lastReplyAt === before) break;
  }
  clearInterval(rssTimer);
  sockets.forEach((s) => s.disconnect());
  return {
    idleP99: percentile(idle, 99),
    floodP99: percentile(during, 99),
    rssBefore,
    rssPeak,
    drainMs: Math.max(0, lastReplyAt - stoppedAt),
    sent,
    answered,
    refused,
    disconnected,
  };
}
