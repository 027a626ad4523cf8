import { useEffect } from 'preact/hooks';
import { MARKET_EVENT_TYPES, type MarketEventType } from '../../../../shared/schemas/market';
import type { CentreItem } from '../../../../shared/schemas/notifications';
import { findProduct, productName } from '../../../../shared/domain/catalogue';
import { shortTime } from '../../state/market-format';
import { marketHref } from '../../state/market-routes';
import type { MessageKey } from '../../i18n';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { useMarket } from '../market/context';
import type { Lot } from '../../state/market-types';
import { useNotificationCentre } from './context';

const isMarketEvent = (type: unknown): type is MarketEventType =>
  typeof type === 'string' && (MARKET_EVENT_TYPES as readonly string[]).includes(type);

const OTHER_KEYS: Record<string, MessageKey> = {
  'organisation:verification': 'notifications.type.verification',
  'organisation:members': 'notifications.type.members',
};

/**
 * What a notification says, in the person's language: the event's name, the product, and where to look.
 * A bid's event names only its lot: the product then comes from the lots this page already knows.
 */
function describe(item: CentreItem, locale: 'zh-CN' | 'en', knownLot: (id: string) => Lot | undefined) {
  const p = item.payload as {
    type?: unknown;
    lotId?: unknown;
    orderId?: unknown;
    productCode?: unknown;
    data?: unknown;
  };
  const data = (typeof p.data === 'object' && p.data !== null ? p.data : {}) as {
    lot?: { productCode?: unknown };
    order?: { productCode?: unknown };
  };
  if (item.type === 'market:update' && isMarketEvent(p.type)) {
    const lotCode = typeof p.lotId === 'string' ? knownLot(p.lotId)?.productCode : undefined;
    const code = [p.productCode, data.lot?.productCode, data.order?.productCode, lotCode].find(
      (c) => typeof c === 'string',
    );
    const product = typeof code === 'string' ? findProduct(code) : undefined;
    const href =
      typeof p.orderId === 'string'
        ? '#/market/orders'
        : typeof p.lotId === 'string'
          ? marketHref({ name: 'lot', id: p.lotId })
          : null;
    return {
      key: `market.event.${p.type}` as MessageKey,
      product: product ? productName(product, locale) : null,
      href,
    };
  }
  return { key: OTHER_KEYS[item.type] ?? ('notifications.type.other' as MessageKey), product: null, href: null };
}

/** 通知: what was sent to me and my organisation, newest first; opening it marks them read. */
export function NotificationsView() {
  const { t, locale } = useApp();
  const centre = useNotificationCentre();
  if (!centre) throw new Error('NotificationsView outside <NotificationsContext.Provider>');
  const { items, nextCursor, loading, loaded, error } = useStore(centre);
  const { market } = useMarket();
  useStore(market); // product names arrive with the lots
  useEffect(() => {
    void centre.open();
  }, [centre]);
  return (
    <Page title={t('notifications.title')}>
      {error ? <p class="alert alert-error">{t('notifications.loadFailed')}</p> : null}
      {loaded && items.length === 0 ? <p class="muted">{t('notifications.empty')}</p> : null}
      <ul class="plain notification-list" data-testid="notification-list">
        {items.map((item) => {
          const d = describe(item, locale, (id) => market.lot(id));
          // One tap target per row (the whole row when it leads somewhere): what happened, then product and time.
          const body = (
            <>
              <span class="notification-title">
                {item.read ? null : <span class="badge at-risk">{t('notifications.new')}</span>}
                <strong>{t(d.key)}</strong>
              </span>
              <span class="notification-meta muted small">
                {d.product ? `${d.product} · ` : ''}
                {shortTime(item.createdAt)}
              </span>
            </>
          );
          return (
            <li key={item.id} class={item.read ? 'notification' : 'notification unread'} data-read={String(item.read)}>
              {d.href ? (
                <a class="notification-row" href={d.href}>
                  {body}
                </a>
              ) : (
                <div class="notification-row">{body}</div>
              )}
            </li>
          );
        })}
      </ul>
      {nextCursor ? (
        <button type="button" class="secondary" disabled={loading} onClick={() => void centre.more()}>
          {loading ? t('app.loading') : t('notifications.more')}
        </button>
      ) : null}
    </Page>
  );
}
