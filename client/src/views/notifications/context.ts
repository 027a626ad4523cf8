import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { badgeText, type NotificationCentreStore } from '../../state/notification-centre';

/** The notification centre's store: the nav badge and the list page read it. */
export const NotificationsContext = createContext<NotificationCentreStore | null>(null);

/** Null outside a provider (tests that render the shell alone): no badge then. */
export const useNotificationCentre = (): NotificationCentreStore | null => useContext(NotificationsContext);

/** The nav badge's text ("3", "99+", or "" for none), re-rendering the caller when the count moves. */
export function useUnreadBadge(): string {
  const centre = useNotificationCentre();
  const [, setVersion] = useState(0);
  useEffect(() => centre?.subscribe(() => setVersion((v) => v + 1)), [centre]);
  return centre ? badgeText(centre.state) : '';
}
