/**
 * Actions whose outcome is not known yet (docs/offline.md): sent with an Idempotency-Key, but the answer never
 * came (the network went). They show as *pending*, never as failed; once the connection is back the
 * server is asked (`POST /api/outcomes`) and each becomes done, failed, or "did not arrive — confirm again".
 * Kept in storage so a reload does not forget them; bounded. Like the outbox, each belongs to whoever acted:
 * dropped when someone else signs in on the phone, forgotten at sign-out.
 */
import type { KeyOutcome } from '../../../shared/schemas/outcomes';
import type { ApiResult } from './api-result';
import { Store } from './store';

export type PendingAction = 'bid' | 'accept' | 'take' | 'lot' | 'sellOffer';

export interface PendingItem {
  key: string;
  action: PendingAction;
  /** When the person acted (ms since the epoch). */
  at: number;
  status: 'pending' | 'done' | 'failed' | 'unknown';
  /** The failure's reason (status failed). */
  reason?: string;
  /** The user who acted (stamped by `add`). */
  owner?: string;
}

export interface PendingState {
  items: PendingItem[];
  checking: boolean;
  /** Who is signed in (null: nobody): only their actions are shown and asked about. */
  owner: string | null;
}

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** A phone has a handful of actions in the air; the oldest answered ones go first. */
const MAX_PENDING = 30;
const STORAGE_KEY = 'freshlink.pending';

export class PendingStore extends Store<PendingState> {
  constructor(
    private readonly ask: (keys: string[]) => Promise<ApiResult<{ items: KeyOutcome[] }>>,
    private readonly storage?: KeyValue,
  ) {
    super({ items: PendingStore.#read(storage), checking: false, owner: null });
  }

  /** Someone signed in: their actions stay; anyone else's are dropped. */
  useFor(userId: string): void {
    this.setState({ owner: userId });
    const mine = this.state.items.filter((i) => i.owner === userId);
    if (mine.length !== this.state.items.length) this.#save(mine);
  }

  /** Signed out: nothing of theirs stays on the phone. */
  forget(): void {
    this.setState({ owner: null });
    this.#save([]);
  }

  static #read(storage?: KeyValue): PendingItem[] {
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '[]');
      return Array.isArray(parsed) ? (parsed as PendingItem[]).slice(-MAX_PENDING) : [];
    } catch {
      return [];
    }
  }

  #save(items: PendingItem[]): void {
    // Unresolved ones are kept before answered ones when the list is full.
    const open = items.filter((i) => i.status === 'pending');
    const closed = items.filter((i) => i.status !== 'pending');
    const kept = [...closed, ...open].slice(-MAX_PENDING);
    const ordered = items.filter((i) => kept.includes(i));
    this.setState({ items: ordered });
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(ordered));
    } catch {
      // storage full or refused: still shown for this page's life
    }
  }

  /** An action was sent but no answer came. */
  add(key: string, action: PendingAction, at: number): void {
    const owner = this.state.owner;
    if (owner === null || this.state.items.some((i) => i.key === key)) return;
    this.#save([...this.state.items, { key, action, at, status: 'pending', owner }]);
  }

  /** The answer came after all (a REST retry with the same key). */
  settle(key: string): void {
    this.#save(this.state.items.map((i) => (i.key === key ? { ...i, status: 'done' } : i)));
  }

  get unresolved(): PendingItem[] {
    return this.state.items.filter((i) => i.status === 'pending');
  }

  /**
   * Asks the server about every pending key; returns the outcomes that are `done` (the caller reloads what
   * they changed). A key the server does not know stays visible as "unknown": the person confirms again.
   */
  async check(): Promise<KeyOutcome[]> {
    const owner = this.state.owner;
    const keys = this.unresolved.filter((i) => i.owner === owner).map((i) => i.key);
    if (owner === null || keys.length === 0 || this.state.checking) return [];
    this.setState({ checking: true });
    const r = await this.ask(keys.slice(0, 50));
    this.setState({ checking: false });
    if (!r.ok || this.state.owner !== owner) return []; // signed out meanwhile: not theirs to show
    const byKey = new Map(r.data.items.map((o) => [o.key, o]));
    this.#save(
      this.state.items.map((i) => {
        const o = byKey.get(i.key);
        if (!o || i.status !== 'pending') return i;
        return o.outcome === 'failed' ? { ...i, status: 'failed', reason: o.reason } : { ...i, status: o.outcome };
      }),
    );
    return r.data.items.filter((o) => o.outcome === 'done');
  }

  dismiss(key: string): void {
    this.#save(this.state.items.filter((i) => i.key !== key));
  }
}
