/**
 * The unread count shown in the document title ("(3) 鲜链") while the person is away from the tab:
 * stored notifications (those with a channel and seq, docs/notifications-openapi.md) heard while the
 * tab is hidden. Looking at the tab again reads them. DOM-free: the page reports visibility.
 */
import type { NotificationChannel, Sequenced } from '../../../shared/schemas/notifications';
import { Store } from './store';

export interface UnreadState {
  count: number;
  /** False while the tab is hidden (another tab, phone screen off). */
  visible: boolean;
}

/** The title shows at most this; more reads "99+". */
const MAX_SHOWN = 99;

export class UnreadStore extends Store<UnreadState> {
  /** Each (channel, seq) counts once, however often it is delivered. */
  readonly #counted = new Set<string>();

  constructor(visible = true) {
    super({ count: 0, visible });
  }

  /** A live or caught-up event arrived; counts when stored (has a seq) and the tab is hidden. */
  heard(event: Sequenced): void {
    if (this.state.visible || event.seq === undefined || !event.channel) return;
    const key = `${event.channel satisfies NotificationChannel}:${event.seq}`;
    if (this.#counted.has(key)) return;
    this.#counted.add(key);
    this.setState({ count: this.state.count + 1 });
  }

  /** Read in another tab or device: this hidden tab counts no more than are still unread. */
  readElsewhere(stillUnread: number): void {
    if (stillUnread < this.state.count) this.setState({ count: stillUnread });
  }

  setVisible(visible: boolean): void {
    if (visible) this.#counted.clear();
    this.setState({ visible, count: visible ? 0 : this.state.count });
  }
}

const COUNT_PREFIX = /^\(\d+\+?\) /;

/** "(3) 我的货 · 鲜链" for a count of 3; the title as it is for 0. Idempotent: an old count is replaced. */
export function titleWithUnread(title: string, count: number): string {
  const bare = title.replace(COUNT_PREFIX, '');
  if (count <= 0) return bare;
  return `(${count > MAX_SHOWN ? `${MAX_SHOWN}+` : count}) ${bare}`;
}
