/**
 * The notification centre (docs/notifications.md): the person's notifications newest first, paged with
 * the server's cursor, and the unread count the nav badge and the title "(3) …" show. The count is the
 * server's (a read marker per person), so it survives a reload and two tabs agree once they ask again;
 * live events only prompt a re-count. DOM-free: main.tsx feeds it events and visibility.
 */
import type {
  CentreItem,
  NotificationChannel,
  NotificationCentreResponse,
  NotificationsReadEvent,
  UnreadCount,
} from '../../../shared/schemas/notifications';
import { request, type FetchLike } from '../api';
import type { ApiFailure, ApiResult } from './api-result';
import { Store } from './store';

export interface NotificationCentreApi {
  unread(): Promise<ApiResult<UnreadCount>>;
  page(cursor?: string): Promise<ApiResult<NotificationCentreResponse>>;
  readUpTo(upTo: string): Promise<ApiResult<UnreadCount>>;
}

/** One page of the list. */
const PAGE_SIZE = 20;

export function createNotificationCentreApi(
  fetchImpl: FetchLike = (input, init) => fetch(input, init),
): NotificationCentreApi {
  return {
    unread: () => request(fetchImpl, 'GET', '/api/notifications/unread'),
    page: (cursor) =>
      request(
        fetchImpl,
        'GET',
        `/api/notifications/centre?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      ),
    readUpTo: (upTo) => request(fetchImpl, 'POST', '/api/notifications/read-up-to', { upTo }),
  };
}

export interface NotificationCentreState {
  unread: number;
  /** At least the server's cap: shown as "99+". */
  capped: boolean;
  items: CentreItem[];
  nextCursor: string | null;
  loading: boolean;
  /** The first page has been read since the list was opened. */
  loaded: boolean;
  error: ApiFailure | null;
}

const EMPTY: NotificationCentreState = {
  unread: 0,
  capped: false,
  items: [],
  nextCursor: null,
  loading: false,
  loaded: false,
  error: null,
};

export class NotificationCentreStore extends Store<NotificationCentreState> {
  /** Bumped by clear(): an answer to a request from before a sign-out is dropped. */
  #generation = 0;
  /** The highest read markers heard from other tabs (`notifications:read`): never moved backwards. */
  #markers: Record<NotificationChannel, number> = { org: 0, user: 0 };

  constructor(private readonly api: NotificationCentreApi) {
    super(EMPTY);
  }

  #takeCount(count: UnreadCount): void {
    this.setState({ unread: count.count, capped: count.capped });
  }

  /** Asks the server how many are unread (after a live event, a reconnect, the tab coming back). */
  async refreshCount(): Promise<void> {
    const generation = this.#generation;
    const r = await this.api.unread();
    if (generation === this.#generation && r.ok) this.#takeCount(r.data);
  }

  /**
   * The person opened the list: the first page, then everything up to the moment of reading is marked
   * read on the server. The rows keep showing which were new on this visit.
   */
  async open(now: () => Date = () => new Date()): Promise<void> {
    const generation = this.#generation;
    const seenAt = now().toISOString();
    this.setState({ loading: true, error: null });
    const r = await this.api.page();
    if (generation !== this.#generation) return;
    if (!r.ok) return this.setState({ loading: false, error: r.error });
    this.setState({ items: r.data.items, nextCursor: r.data.nextCursor, loading: false, loaded: true });
    this.#takeCount(r.data.unread);
    if (r.data.unread.count === 0) return;
    const marked = await this.api.readUpTo(seenAt);
    if (generation === this.#generation && marked.ok) this.#takeCount(marked.data);
  }

  /**
   * The person read notifications in a tab or on a device (`notifications:read`, also heard by the tab that
   * read): the count follows. An event older than one already applied (a marker lower on either channel,
   * arriving late) changes nothing: markers never move backwards. Rows on show keep their "new on this
   * visit" look, as after reading in this tab.
   */
  readElsewhere(event: NotificationsReadEvent): void {
    const known = this.#markers;
    const { org, user } = event.readUpToSeq;
    if (org < known.org || user < known.user) return;
    this.#markers = { org, user };
    this.setState({ unread: event.unread.count, capped: event.unread.capped });
  }

  /** The next page, after the last row shown. */
  async more(): Promise<void> {
    const cursor = this.state.nextCursor;
    if (!cursor || this.state.loading) return;
    const generation = this.#generation;
    this.setState({ loading: true, error: null });
    const r = await this.api.page(cursor);
    if (generation !== this.#generation) return;
    if (!r.ok) return this.setState({ loading: false, error: r.error });
    const known = new Set(this.state.items.map((i) => i.id));
    this.setState({
      items: [...this.state.items, ...r.data.items.filter((i) => !known.has(i.id))],
      nextCursor: r.data.nextCursor,
      loading: false,
    });
  }

  /** Signed out (or another person signed in). */
  clear(): void {
    this.#generation += 1;
    this.#markers = { org: 0, user: 0 };
    this.setState(EMPTY);
  }
}

/** The badge's text: nothing for 0, "99+" at the cap. */
export function badgeText(state: Pick<NotificationCentreState, 'unread' | 'capped'>): string {
  if (state.unread <= 0) return '';
  return state.capped || state.unread > 99 ? '99+' : String(state.unread);
}
