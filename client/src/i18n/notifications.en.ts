import type { notificationsZhCN } from './notifications.zh-CN';
/** The notification centre in English (merged into en.ts). */
export const notificationsEn: Record<keyof typeof notificationsZhCN, string> = {
  'notifications.nav': 'Notifications',
  'notifications.title': 'Notifications',
  'notifications.unreadLabel': '{n} unread',
  'notifications.empty': 'No notifications yet. Bids, deals, order changes and verification results appear here.',
  'notifications.loadFailed': 'Could not load the notifications; please try again.',
  'notifications.more': 'Older notifications',
  'notifications.new': 'New',
  'notifications.type.verification': 'Verification result',
  'notifications.type.members': 'Team change',
  'notifications.type.other': 'System message',
};
