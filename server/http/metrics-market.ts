/**
 * The chamber's figures for `/metrics`, and the database command latency, read straight from the
 * connection (a read-only view over the lots and orders collections; the features own the writes).
 */
import type { Connection } from 'mongoose';
import type { MarketFigures, Metrics } from './metrics';

const AT_RISK_MS = 48 * 3_600_000;
/** Every status an order reaches only after it was confirmed. */
const CONFIRMED_OR_LATER = ['confirmed', 'dispatched', 'delivered', 'completed', 'disputed'];

export function marketFiguresReader(connection: Connection, now: () => Date): () => Promise<MarketFigures> {
  return async () => {
    const db = connection.db;
    if (!db) throw new Error('database not connected');
    const at = now();
    const lots = db.collection('lots');
    const [open, risk, spoiled, ordersConfirmed] = await Promise.all([
      lots.countDocuments({ status: 'open' }),
      lots
        .aggregate<{ grams: number }>([
          { $match: { status: 'open', expiresAt: { $lte: new Date(at.getTime() + AT_RISK_MS) } } },
          { $group: { _id: null, grams: { $sum: '$remainingGrams' } } },
        ])
        .toArray(),
      lots
        .aggregate<{ grams: number }>([
          { $match: { status: 'expired' } },
          { $group: { _id: null, grams: { $sum: '$spoiledGrams' } } },
        ])
        .toArray(),
      db.collection('orders').countDocuments({ status: { $in: CONFIRMED_OR_LATER } }),
    ]);
    return {
      openLots: open,
      gramsAtRisk: risk[0]?.grams ?? 0,
      gramsSpoiled: spoiled[0]?.grams ?? 0,
      ordersConfirmed,
    };
  };
}

interface CommandEvent {
  requestId: number;
  commandName: string;
  duration: number;
}

/**
 * Feeds `db_command_duration_seconds` from the driver's command monitoring. Needs the client created
 * with `monitorCommands: true` (server/db.ts); the names are the driver's (find, insert, aggregate …).
 */
export function monitorDatabaseCommands(connection: Connection, metrics: Pick<Metrics, 'dbCommand'>): () => void {
  const client = connection.getClient();
  const observe = (event: CommandEvent) => metrics.dbCommand(event.commandName, event.duration / 1000);
  client.on('commandSucceeded', observe);
  client.on('commandFailed', observe);
  return () => {
    client.off('commandSucceeded', observe);
    client.off('commandFailed', observe);
  };
}
