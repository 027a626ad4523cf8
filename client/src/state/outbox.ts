/**
 * Writes made offline that are safe to send later as they are (docs/offline.md): posting a lot, a sell offer,
 * confirming receipt (确认收货). Each keeps the Idempotency-Key it was made with, so however often the outbox
 * is flushed (two tabs, a reconnect during a flush, a lost answer) the server does it once. Bids, accepts and
 * takes are never queued: prices move, so the person confirms them again. Persisted; bounded.
 *
 * Each item belongs to the person who made it: only their items are sent, the items of anyone else are
 * dropped when another person signs in on the same phone, and everything is forgotten at sign-out.
 */
import type { ApiResult } from './api-result';
import type { KeyValue } from './pending';
import { Store } from './store';

export type OutboxKind = 'lot' | 'sellOffer' | 'receipt';

export interface OutboxItem {
  key: string;
  kind: OutboxKind;
  path: string;
  body: unknown;
  at: number;
  /** The user who made it (stamped by `add`). */
  owner?: string;
}

export interface OutboxState {
  items: OutboxItem[];
  /** What the server refused on the last flush (shown once; the person fixes and posts again). */
  refused: (OutboxItem & { code: string })[];
  flushing: boolean;
  /** Who is signed in: whose items are kept and sent (null: nobody). */
  owner: string | null;
}

const MAX_OUTBOX = 20;
const STORAGE_KEY = 'freshlink.outbox';

export type OutboxSend = (path: string, body: unknown, key: string) => Promise<ApiResult<unknown>>;

export class OutboxStore extends Store<OutboxState> {
  constructor(
    private readonly send: OutboxSend,
    private readonly storage?: KeyValue,
  ) {
    let items: OutboxItem[] = [];
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '[]');
      if (Array.isArray(parsed)) items = (parsed as OutboxItem[]).slice(0, MAX_OUTBOX);
    } catch {
      items = [];
    }
    super({ items, refused: [], flushing: false, owner: null });
  }

  /** Someone signed in: their items stay (and are sent on reconnect); anyone else's are dropped unsent. */
  useFor(userId: string): void {
    this.setState({ owner: userId, refused: this.state.refused.filter((i) => i.owner === userId) });
    const mine = this.state.items.filter((i) => i.owner === userId);
    if (mine.length !== this.state.items.length) this.#save(mine);
  }

  /** Signed out: nothing of theirs stays on the phone. */
  forget(): void {
    this.setState({ owner: null, refused: [] });
    this.#save([]);
  }

  #save(items: OutboxItem[]): void {
    this.setState({ items });
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(items));
    } catch {
      // storage refused: the queue lives as long as the page
    }
  }

  /** False when the outbox is full: the person is told, nothing is silently dropped. */
  add(item: OutboxItem): boolean {
    const owner = this.state.owner;
    if (owner === null) return false;
    if (this.state.items.some((i) => i.key === item.key)) return true;
    if (this.state.items.length >= MAX_OUTBOX) return false;
    this.#save([...this.state.items, { ...item, owner }]);
    return true;
  }

  /** What is waiting, of one kind (e.g. the receipts: their orders show as pending). */
  waiting(kind: OutboxKind): OutboxItem[] {
    return this.state.items.filter((i) => i.kind === kind);
  }

  /**
   * Sends each item in order with its key. Sent or refused items leave the outbox; a network failure stops
   * the flush and keeps the rest for the next reconnect. Returns how many were sent.
   */
  async flush(): Promise<number> {
    const owner = this.state.owner;
    if (this.state.flushing || owner === null || this.state.items.length === 0) return 0;
    this.setState({ flushing: true });
    let sent = 0;
    try {
      for (const item of this.state.items.filter((i) => i.owner === owner)) {
        if (this.state.owner !== owner) break; // signed out meanwhile
        const r = await this.send(item.path, item.body, item.key);
        if (!r.ok && r.error.status === 0) break; // still offline (or the answer was lost): the key makes a retry safe
        this.#save(this.state.items.filter((i) => i.key !== item.key));
        if (r.ok) sent += 1;
        else this.setState({ refused: [...this.state.refused, { ...item, code: r.error.code }].slice(-MAX_OUTBOX) });
      }
    } finally {
      this.setState({ flushing: false });
    }
    return sent;
  }

  dismissRefused(): void {
    this.setState({ refused: [] });
  }
}
