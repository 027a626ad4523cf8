/** The notification centre in Simplified Chinese (merged into zh-CN.ts); notifications.en.ts has exactly these keys. */
export const notificationsZhCN = {
  'notifications.nav': '通知',
  'notifications.title': '通知',
  'notifications.unreadLabel': '{n} 条未读',
  'notifications.empty': '暂无通知。出价、成交、订单变动和认证结果会出现在这里。',
  'notifications.loadFailed': '通知加载失败，请稍后重试。',
  'notifications.more': '更早的通知',
  'notifications.new': '未读',
  'notifications.type.verification': '企业认证结果',
  'notifications.type.members': '成员变动',
  'notifications.type.other': '系统消息',
} as const;
