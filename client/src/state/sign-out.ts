/**
 * Signing out on a phone that still holds the person's unsent actions (docs/offline.md "Sign-out"). The
 * outbox and pending actions belong to whoever made them and are forgotten at sign-out, so signing out
 * while some are unsent loses them: the person is shown what would be lost and chooses 仍要退出 or 取消.
 * Signing out also clears what the phone kept of them (the service worker's copies of their lists, the
 * outbox, the pending actions), so the next person on the phone sees none of it. DOM-free.
 */
import type { OutboxItem, OutboxState } from './outbox';
import type { PendingAction, PendingState } from './pending';
import { Store } from './store';

/** One action that would be lost: still in the outbox, or sent without a known outcome. */
export type UnsentAction =
  | { key: string; at: number; state: 'queued'; kind: OutboxItem['kind']; path: string }
  | { key: string; at: number; state: 'unknown'; action: PendingAction };

export interface SignOutState {
  /** The actions to warn about while the person decides (null: not asking). */
  asking: UnsentAction[] | null;
  busy: boolean;
}

export interface SignOutDeps {
  outbox: { readonly state: Pick<OutboxState, 'items' | 'owner'> };
  pending: { readonly state: Pick<PendingState, 'items' | 'owner'> };
  /** Ends the session on the server (and in the session store). */
  signOut(): Promise<void>;
  /** Forgets the person's outbox, pending actions and cached answers on this device. */
  forgetPersonalData(): Promise<void>;
}

/** What is unsent for whoever is signed in, oldest first: the outbox's items, then actions of unknown outcome. */
export function unsentActions(
  outbox: Pick<OutboxState, 'items' | 'owner'>,
  pending: Pick<PendingState, 'items' | 'owner'>,
): UnsentAction[] {
  const queued: UnsentAction[] = outbox.items
    .filter((i) => outbox.owner !== null && i.owner === outbox.owner)
    .map((i) => ({ key: i.key, at: i.at, state: 'queued', kind: i.kind, path: i.path }));
  const unknown: UnsentAction[] = pending.items
    .filter((i) => i.status === 'pending' && pending.owner !== null && i.owner === pending.owner)
    .map((i) => ({ key: i.key, at: i.at, state: 'unknown', action: i.action }));
  return [...queued, ...unknown].sort((a, b) => a.at - b.at);
}

export class SignOutStore extends Store<SignOutState> {
  constructor(private readonly deps: SignOutDeps) {
    super({ asking: null, busy: false });
  }

  /**
   * The person pressed 退出登录: signed out at once when nothing is unsent ('signedOut'), otherwise the
   * list to warn about is shown ('asking') and nothing happens until `confirm` or `cancel`.
   */
  async request(): Promise<'signedOut' | 'asking'> {
    const unsent = unsentActions(this.deps.outbox.state, this.deps.pending.state);
    if (unsent.length > 0) {
      this.setState({ asking: unsent });
      return 'asking';
    }
    await this.#signOut();
    return 'signedOut';
  }

  /** 仍要退出: the unsent actions are dropped with the rest of the person's data on this device. */
  async confirm(): Promise<void> {
    await this.#signOut();
  }

  /** 取消: stay signed in; the actions wait for the connection as before. */
  cancel(): void {
    this.setState({ asking: null });
  }

  async #signOut(): Promise<void> {
    this.setState({ busy: true });
    try {
      await this.deps.signOut();
      await this.deps.forgetPersonalData();
    } finally {
      this.setState({ asking: null, busy: false });
    }
  }
}
