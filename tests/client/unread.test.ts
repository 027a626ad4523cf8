import { titleWithUnread, UnreadStore } from '../../client/src/state/unread';

describe('unread count in the title', () => {
  it('counts stored notifications heard while the tab is hidden, once each', () => {
    const unread = new UnreadStore(true);
    unread.setVisible(false);
    unread.heard({ channel: 'org', seq: 7 });
    unread.heard({ channel: 'org', seq: 7 }); // caught up again after a reconnect
    unread.heard({ channel: 'user', seq: 7 });
    unread.heard({}); // a board broadcast, not addressed to this person
    expect(unread.state.count).toBe(2);
  });

  it('does not count while the person is looking, and looking again reads everything', () => {
    const unread = new UnreadStore(true);
    unread.heard({ channel: 'org', seq: 1 });
    expect(unread.state.count).toBe(0);
    unread.setVisible(false);
    unread.heard({ channel: 'org', seq: 2 });
    expect(unread.state.count).toBe(1);
    unread.setVisible(true);
    expect(unread.state.count).toBe(0);
  });

  it('puts the count before the title, replaces an old one and caps at 99+', () => {
    expect(titleWithUnread('我的货 · 鲜链', 3)).toBe('(3) 我的货 · 鲜链');
    expect(titleWithUnread('(3) 我的货 · 鲜链', 4)).toBe('(4) 我的货 · 鲜链');
    expect(titleWithUnread('(99+) 鲜链', 0)).toBe('鲜链');
    expect(titleWithUnread('鲜链', 120)).toBe('(99+) 鲜链');
  });
});

describe('the hidden tab’s title count when the person reads elsewhere', () => {
  it('drops to what is still unread, never rises from such an event', () => {
    const unread = new UnreadStore(false);
    for (const seq of [1, 2, 3]) unread.heard({ channel: 'org', seq });
    expect(unread.state.count).toBe(3);
    unread.readElsewhere(0);
    expect(unread.state.count).toBe(0);
    unread.readElsewhere(5);
    expect(unread.state.count).toBe(0);
  });
});
