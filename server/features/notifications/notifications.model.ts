import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** One counter per recipient (`org:<id>`, `user:<id>`): `$inc` hands out its next seq. */
export interface NotificationCounterDoc {
  _id: string;
  seq: number;
}

/** One stored notification: what went out to a room, with its seq on that room. */
export interface NotificationDoc {
  _id: Types.ObjectId;
  recipient: string;
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  /** TTL: the document is removed after this instant. */
  expiresAt: Date;
}

/** A user's read marker per channel; `_id` = `<userId>:<channel>`. */
export interface NotificationReadDoc {
  _id: string;
  upToSeq: number;
  updatedAt: Date;
}

const counterSchema = new Schema<NotificationCounterDoc>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { collection: 'notification_counters', versionKey: false },
);

const notificationSchema = new Schema<NotificationDoc>(
  {
    recipient: { type: String, required: true },
    seq: { type: Number, required: true },
    type: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  // minimize: false keeps empty objects inside payloads (`data: {}`) as they were sent.
  { collection: 'notifications', versionKey: false, minimize: false },
);
notificationSchema.index({ recipient: 1, seq: 1 }, { unique: true });
notificationSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

const readSchema = new Schema<NotificationReadDoc>(
  {
    _id: { type: String, required: true },
    upToSeq: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'notification_reads', versionKey: false },
);

export function notificationModels(connection: Connection): {
  Counter: Model<NotificationCounterDoc>;
  Notification: Model<NotificationDoc>;
  Read: Model<NotificationReadDoc>;
} {
  return {
    Counter: connection.models.NotificationCounter ?? connection.model('NotificationCounter', counterSchema),
    Notification: connection.models.Notification ?? connection.model('Notification', notificationSchema),
    Read: connection.models.NotificationRead ?? connection.model('NotificationRead', readSchema),
  };
}
