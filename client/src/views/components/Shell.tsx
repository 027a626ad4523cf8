/** The phone shell's pieces (docs/offline.md): the offline banner, pending actions, the update prompt, bottom tabs. */
import type { ConnectionStore } from '../../state/connection';
import type { OutboxItem, OutboxStore } from '../../state/outbox';
import type { PendingItem, PendingStore } from '../../state/pending';
import type { SignOutStore, UnsentAction } from '../../state/sign-out';
import { shortTime } from '../../state/market-format';
import type { UpdateStore } from '../../state/update';
import type { MessageKey } from '../../i18n';
import { useApp } from '../context';
import { useStore } from '../use-store';

export interface OfflineStores {
  pending: PendingStore;
  outbox: OutboxStore;
  update: UpdateStore;
  /** 退出登录 with a warning when actions are unsent. */
  signOut?: SignOutStore;
}

/** A visible "what you see may be out of date" while the connection is down. */
export function OfflineBanner({ connection }: { connection: ConnectionStore }) {
  const { t } = useApp();
  useStore(connection);
  if (!connection.offline) return null;
  return (
    <div class="offline-banner" role="alert" data-testid="offline-banner">
      {t('connection.banner')}
    </div>
  );
}

const DONE_KEYS: Record<string, MessageKey> = {
  lot: 'connection.done.lot',
  sellOffer: 'connection.done.offer',
  bid: 'connection.done.offer',
  accept: 'connection.done.accept',
  take: 'connection.done.take',
};

function PendingLine({ item, onDismiss }: { item: PendingItem; onDismiss: () => void }) {
  const { t } = useApp();
  const text =
    item.status === 'pending'
      ? t('connection.outcomeUnknown')
      : item.status === 'done'
        ? t(DONE_KEYS[item.action] ?? 'connection.done.offer')
        : item.status === 'failed'
          ? t('connection.failed', { reason: item.reason ?? '' })
          : t('connection.unknown');
  return (
    <li class={`pending-item ${item.status}`} data-status={item.status}>
      <span>{text}</span>
      {item.status === 'pending' ? null : (
        <button type="button" class="link-button" onClick={onDismiss}>
          {t('connection.dismiss')}
        </button>
      )}
    </li>
  );
}

const WAITING_KEYS: Record<OutboxItem['kind'], MessageKey> = {
  lot: 'connection.waiting.lot',
  sellOffer: 'connection.waiting.sellOffer',
  receipt: 'connection.waiting.receipt',
};

/** An outbox item's order (a receipt), by its number when the page knows it. */
const orderIdOf = (item: OutboxItem) => /^\/api\/orders\/([^/]+)\//.exec(item.path)?.[1];

/** Actions in the air and what became of them; what waits in the outbox and what it could not post. */
export function PendingNotices({
  pending,
  outbox,
  orderNumber = () => undefined,
}: Pick<OfflineStores, 'pending' | 'outbox'> & { orderNumber?: (orderId: string) => string | undefined }) {
  const { t } = useApp();
  const { items, checking } = useStore(pending);
  const box = useStore(outbox);
  if (items.length === 0 && box.items.length === 0 && box.refused.length === 0) return null;
  return (
    <section class="pending-notices" aria-live="polite" data-testid="pending-notices">
      {checking ? <p>{t('connection.checking')}</p> : null}
      {box.items.length ? <p data-testid="outbox-count">{t('connection.outbox', { n: box.items.length })}</p> : null}
      <ul>
        {box.items.map((item) => {
          const orderId = orderIdOf(item);
          const known = orderId ? orderNumber(decodeURIComponent(orderId)) : undefined;
          const number = known ? ` ${known}` : '';
          return (
            <li key={item.key} class="pending-item pending" data-status="queued" data-kind={item.kind}>
              <span>{t(WAITING_KEYS[item.kind], { number })}</span>
            </li>
          );
        })}
        {items.map((item) => (
          <PendingLine key={item.key} item={item} onDismiss={() => pending.dismiss(item.key)} />
        ))}
        {box.refused.map((item) => (
          <li key={item.key} class="pending-item failed">
            <span>{t('connection.refused', { code: item.code })}</span>
            <button type="button" class="link-button" onClick={() => outbox.dismissRefused()}>
              {t('connection.dismiss')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

const UNKNOWN_KEYS: Record<PendingItem['action'], MessageKey> = {
  bid: 'signOut.unknown.bid',
  accept: 'signOut.unknown.accept',
  take: 'signOut.unknown.take',
  lot: 'signOut.unknown.lot',
  sellOffer: 'signOut.unknown.sellOffer',
};

const unsentKey = (item: UnsentAction): MessageKey =>
  item.state === 'queued' ? WAITING_KEYS[item.kind] : UNKNOWN_KEYS[item.action];

/**
 * Before signing out with actions unsent: what would be lost, then 仍要退出 / 取消 (the first has the focus
 * as the dialog opens, so a keyboard or a screen reader lands on the choice).
 */
export function SignOutDialog({ store, onSignedOut }: { store: SignOutStore; onSignedOut: () => void }) {
  const { t } = useApp();
  const { asking, busy } = useStore(store);
  if (!asking) return null;
  return (
    <div class="signout-backdrop">
      <section
        class="signout-dialog card"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="signout-title"
        aria-describedby="signout-hint"
        data-testid="signout-dialog"
      >
        <h2 id="signout-title">{t('signOut.title', { n: asking.length })}</h2>
        <p id="signout-hint">{t('signOut.hint')}</p>
        <ul class="signout-list">
          {asking.map((item) => (
            <li key={item.key}>
              <span>{t(unsentKey(item), { number: '' })}</span>
              <span class="muted small"> · {shortTime(new Date(item.at))}</span>
            </li>
          ))}
        </ul>
        <div class="actions">
          <button
            type="button"
            class="danger"
            disabled={busy}
            ref={(el) => el?.focus()}
            onClick={() => void store.confirm().then(onSignedOut)}
          >
            {t('signOut.anyway')}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => store.cancel()}>
            {t('common.cancel')}
          </button>
        </div>
      </section>
    </div>
  );
}

export function UpdatePrompt({ update }: { update: UpdateStore }) {
  const { t } = useApp();
  const { waiting } = useStore(update);
  if (!waiting) return null;
  return (
    <div class="update-prompt" role="status">
      {t('shell.update')}
      <button type="button" onClick={() => void update.reload()}>
        {t('shell.reload')}
      </button>
    </div>
  );
}

export interface TabLink {
  href: string;
  label: string;
  current: boolean;
  /** A count beside the label (unread notifications); also shown on 更多 when the link is under it. */
  badge?: string;
}

const NavBadge = ({ text }: { text?: string }) =>
  text ? (
    <span class="nav-badge" data-testid="nav-badge">
      {text}
    </span>
  ) : null;

/** A link or button chosen in 更多 closes the menu (it would otherwise stay open over the new page). */
function closeMoreOnChoice(event: MouseEvent): void {
  const target = event.target as Element | null;
  if (!target?.closest('a, button')) return;
  const details = (event.currentTarget as Element).closest('details');
  if (details) details.open = false;
}

/** Phones: at most four tabs and 更多 with the rest (CSS shows it below 700 px; the top nav above). */
export function BottomTabs({ links, extra }: { links: TabLink[]; extra?: preact.ComponentChildren }) {
  const { t } = useApp();
  if (links.length === 0) return null;
  // Four tabs and 更多: five in all, whatever the role.
  const tabs = links.slice(0, 4);
  const more = links.slice(4);
  return (
    <nav class="tabbar" aria-label={t('shell.tabs')}>
      {tabs.map((l) => (
        <a key={l.href} href={l.href} aria-current={l.current ? 'page' : undefined}>
          {l.label}
          <NavBadge text={l.badge} />
        </a>
      ))}
      {more.length || extra ? (
        <details class="tab-more">
          <summary>
            {t('shell.more')}
            <NavBadge text={more.find((l) => l.badge)?.badge} />
          </summary>
          <div class="tab-more-menu" onClick={closeMoreOnChoice}>
            {more.map((l) => (
              <a key={l.href} href={l.href} aria-current={l.current ? 'page' : undefined}>
                {l.label}
                <NavBadge text={l.badge} />
              </a>
            ))}
            {extra}
          </div>
        </details>
      ) : null}
    </nav>
  );
}
