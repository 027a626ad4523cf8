import { marketRoleOf } from './state/buyer-kinds';
import { render } from 'preact';
import { createAccountsApi, request } from './api';
import { actionChannel, connectSocket, heartbeatChannel, keepBoardWatch, liveFeed, type AppSocket } from './socket';
import { I18nStore, type KeyValueStorage } from './i18n';
import { RouterStore, type NavigateDetail } from './state/router';
import { SessionStore } from './state/session';
import { OrganisationStore } from './state/organisation';
import { QueueStore } from './state/queue';
import { ConnectionStore, keepHeartbeat } from './state/connection';
import { PendingStore } from './state/pending';
import { OutboxStore } from './state/outbox';
import { UpdateStore } from './state/update';
import { registerSW } from 'virtual:pwa-register';
import { claimLastRead, forgetLastRead } from './personal-data';
import { SignOutStore } from './state/sign-out';
import type { OutcomesResponse } from '../../shared/schemas/outcomes';
import type { Message } from './state/message';
import { renderMessage } from './state/field-errors';
import type { SessionEndedEvent } from '../../shared/events';
import { AppContext, type AppServices } from './views/context';
import { App } from './views/App';
import { useStore } from './views/use-store';
import './styles.css';
import './market.css';
import { createMarketApi } from './state/market-api';
import { MarketStore } from './state/market';
import { MarketPrefsStore } from './state/market-prefs';
import { titleWithUnread, UnreadStore } from './state/unread';
import { MarketContext } from './views/market/context';
import { beep } from './views/market/sound';
import './desk.css';
import { createDeskApi } from './state/desk-api';
import { DeskStore } from './state/desk';
import { DeskLedgerStore } from './state/desk-ledger';
import { DeskProblemsStore } from './state/desk-problems';
import { DeskContext } from './views/desk/context';
import { programmeChannel } from './programme-socket';
import { createNotificationCentreApi, NotificationCentreStore } from './state/notification-centre';
import { NotificationsContext } from './views/notifications/context';
import { createProgrammeApi } from './state/programme';
import { ProgrammeContext } from './views/programme/context';

function storage(): KeyValueStorage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const api = createAccountsApi();
const services: AppServices = {
  api,
  i18n: new I18nStore(storage()),
  router: new RouterStore(location.hash),
  session: new SessionStore(api, storage()),
  organisation: new OrganisationStore(api),
  queue: new QueueStore(api),
};
const connection = new ConnectionStore(typeof navigator === 'undefined' ? true : navigator.onLine);
window.addEventListener('online', () => connection.setBrowserOnline(true));
window.addEventListener('offline', () => {
  connection.setBrowserOnline(false);
  if (socket?.connected) heartbeatChannel(socket).drop(); // nothing buffered goes out later
});
// Offline (docs/offline.md): keyed actions without an answer wait as pending; lots and sell offers made offline wait in the outbox.
const keyedFetch =
  (key: string) =>
  (input: string, init: RequestInit): Promise<Response> =>
    fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), 'idempotency-key': key } });
const pending = new PendingStore(
  (keys) => request<OutcomesResponse>((input, init) => fetch(input, init), 'POST', '/api/outcomes', { keys }),
  storage(),
);
const outbox = new OutboxStore((path, body, key) => request(keyedFetch(key), 'POST', path, body), storage());
const update = new UpdateStore();
// 退出登录 warns first when actions of the person's are still unsent (state/sign-out.ts).
const signOut = new SignOutStore({
  outbox,
  pending,
  signOut: () => services.session.signOut(),
  forgetPersonalData: () => forgetPersonalData(),
});
// The service worker precaches the shell (vite.config.ts); after a deploy the new one waits until the person reloads.
if ('serviceWorker' in navigator) {
  const updateSW = registerSW({ onNeedRefresh: () => update.available(() => updateSW(true)) });
}
// Market actions go over the live socket while it is connected (REST otherwise): state/marketApi.ts.
const marketApi = createMarketApi(undefined, {
  actions: () => (socket ? actionChannel(socket, () => connection.state.live === true) : null),
  isOffline: () => connection.offline,
  onUnknown: (key, action) => pending.add(key, action, Date.now()),
  queue: ({ kind, path, body, key }) => outbox.add({ kind, path, body, key, at: Date.now() }),
});
const market = new MarketStore(marketApi);
const programme = { api: createProgrammeApi(), channel: programmeChannel(), shareTokens: new Map<string, string>() };
/** Nothing of the person who signs out stays on the phone for the next one (personal-data.ts). */
const forgetPersonalData = async () => {
  outbox.forget();
  pending.forget();
  programme.shareTokens.clear();
  await forgetLastRead(storage());
};
const marketPrefs = new MarketPrefsStore(storage());
// "(3) 鲜链": notifications heard while the tab is hidden; pages set their own title, the count is put back in front.
const unread = new UnreadStore(document.visibilityState === 'visible');
document.addEventListener('visibilitychange', () => unread.setVisible(document.visibilityState === 'visible'));
// The title's count is the notification centre's: the server's read marker, the same after a reload and in every tab.
const centre = new NotificationCentreStore(createNotificationCentreApi());
let recount: ReturnType<typeof setTimeout> | undefined;
/** Events arrive in bursts (a deal moves an offer, an order and a lot): count once they settle. */
const recountSoon = () => {
  clearTimeout(recount);
  recount = setTimeout(() => void centre.refreshCount(), 400);
};
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && socket) recountSoon();
});
const applyUnreadTitle = () => {
  const title = titleWithUnread(document.title, centre.state.capped ? 100 : centre.state.unread);
  if (title !== document.title) document.title = title;
};
centre.subscribe(applyUnreadTitle);
// A system notification while the tab is hidden, only if the person allowed it with the button on 我的货.
let notifiedCount = 0;
unread.subscribe(() => {
  const { count, visible } = unread.state;
  const allowed = typeof Notification !== 'undefined' && Notification.permission === 'granted';
  if (!visible && count > notifiedCount && allowed) {
    try {
      new Notification(i18n.t('market.notify.title', { n: count }), { tag: 'freshlink-unread' });
    } catch {
      // Some phones only notify from a service worker: the title count still shows.
    }
  }
  notifiedCount = count;
});
new MutationObserver(applyUnreadTitle).observe(document.head, { subtree: true, childList: true, characterData: true });
// Countdowns and clock prices move once a second.
setInterval(() => market.tick(Date.now()), 1000);
const deskApi = createDeskApi();
const desk = new DeskStore(deskApi);
const deskLedger = new DeskLedgerStore(deskApi);
const deskProblems = new DeskProblemsStore(deskApi);
// Market events move the desk's board (and may be another broker's deal); many arrive together, so reload once they settle.
let deskReload: ReturnType<typeof setTimeout> | undefined;
const deskHeard = () => {
  if (!desk.state.board) return;
  clearTimeout(deskReload);
  deskReload = setTimeout(() => {
    void desk.loadBoard();
    void desk.loadDeals();
  }, 800);
};
const loadMarket = () => {
  const me = session.state.me;
  if (me && !me.user.mustChangePassword) void market.load(marketRoleOf(me.organisation.kind), me.organisation.id);
};
const { i18n, router, session, organisation, queue } = services;

// ---- address bar ⇄ router
window.addEventListener('hashchange', () => router.fromHash(location.hash));
router.addEventListener('navigate', (e) => {
  const { href, replace } = (e as CustomEvent<NavigateDetail>).detail;
  if (location.hash === href) return;
  if (replace) history.replaceState(null, '', href);
  else location.hash = href;
});

// ---- language on <html>, so screen readers and fonts follow the switch
const applyLang = () => {
  document.documentElement.lang = i18n.state.locale;
};
applyLang();
i18n.subscribe(applyLang);

// ---- live updates: one socket per signed-in user, opened once the password is settled
let socket: AppSocket | null = null;
let socketUser: string | null = null;
let stopBeat = () => {};
const syncSocket = () => {
  const me = session.state.me;
  const wanted = session.state.status === 'signedIn' && me && !me.user.mustChangePassword ? me.user.id : null;
  if (wanted === socketUser) return;
  stopBeat();
  socket?.disconnect();
  socket = null;
  const signedOut = socketUser !== null && !wanted;
  socketUser = wanted;
  organisation.clear();
  market.clear();
  desk.clear();
  centre.clear();
  if (signedOut) {
    // Nothing of theirs stays on the phone for the next person (personal-data.ts): what they read, what waited.
    void forgetPersonalData();
  }
  if (!wanted) {
    connection.set(null);
    return;
  }
  // Only this person's saved actions are kept and sent; the lists cached for someone else are dropped.
  outbox.useFor(wanted);
  pending.useFor(wanted);
  void claimLastRead(storage(), wanted);
  const s = connectSocket();
  socket = s;
  stopBeat = keepHeartbeat(heartbeatChannel(s), connection);
  keepBoardWatch(s, market);
  programme.channel.attach(s);
  connection.set(false);
  // Opened offline: show the last board, lots and orders read (the service worker answers from its cache).
  if (!navigator.onLine) loadMarket();
  s.on('connect', () => {
    connection.set(true);
    void session.refresh();
    void centre.refreshCount();
    loadMarket(); // also after a reconnect: whatever happened meanwhile
    // What became of actions sent without an answer, then what was saved offline (each with its key: sent once).
    void pending.check().then((done) => (done.length ? loadMarket() : undefined));
    void outbox.flush().then((sent) => (sent ? loadMarket() : undefined));
  });
  let endedReason: SessionEndedEvent['reason'] = 'logout';
  s.on('session:ended', (event) => {
    endedReason = event.reason;
  });
  s.on('disconnect', (reason) => {
    connection.set(false);
    // socket.io does not reconnect after a server-side disconnect; decide whether we should.
    if (reason === 'io server disconnect') {
      void session.recheck(endedReason).then((stillSignedIn) => {
        if (stillSignedIn && socket === s) s.connect();
      });
    }
  });
  // Organisation events go through the feed: missed while offline, they are caught up on reconnect, and
  // each stored seq is heard once. Market updates too: those for the organisation carry a seq (so the feed
  // sees no false gap), the board's and the chamber's carry none and always pass. Each carries its state.
  const feed = liveFeed(s);
  feed.on('market:update', (event) => {
    unread.heard(event);
    if (event.seq !== undefined) recountSoon();
    if (market.applyUpdate(event) === 'bid' && marketPrefs.state.sound) beep();
    if (session.state.me?.organisation.kind === 'chamber' && desk.applyMarketUpdate(event)) deskHeard();
  });
  feed.on('organisation:verification', (event) => {
    unread.heard(event);
    recountSoon();
    session.applyVerification(event);
  });
  feed.on('organisation:members', (event) => {
    void organisation.loadMembers();
    // My own role changed (made manager, or not any more): the page's controls depend on it.
    if (event.userId === session.state.me?.user.id) void session.refresh();
  });
  s.on('chamber:queue', (event) => queue.applyQueueEvent(event));
  // Read in another tab or on another device: this tab's badge and title follow (never backwards).
  s.on('notifications:read', (event) => {
    centre.readElsewhere(event);
    unread.readElsewhere(event.unread.count);
  });
};
session.subscribe(syncSocket);

function Root() {
  const { locale } = useStore(i18n);
  const t = i18n.t;
  const say = (m: Message) => renderMessage(locale, m);
  return (
    <AppContext.Provider value={{ ...services, t, locale, say }}>
      <MarketContext.Provider value={{ market, prefs: marketPrefs, api: marketApi }}>
        <DeskContext.Provider value={{ desk, ledger: deskLedger, problems: deskProblems, accounts: api }}>
          <ProgrammeContext.Provider value={programme}>
            <NotificationsContext.Provider value={centre}>
              <App connection={connection} offline={{ pending, outbox, update, signOut }} />
            </NotificationsContext.Provider>
          </ProgrammeContext.Provider>
        </DeskContext.Provider>
      </MarketContext.Provider>
    </AppContext.Provider>
  );
}

const root = document.getElementById('app');
if (root) render(<Root />, root);
void session.load();
