import { marketRoleOf } from '../state/buyer-kinds';
import { useContext, useEffect } from 'preact/hooks';
import type { RouteName } from '../state/router';
import { hrefFor } from '../state/router';
import type { ConnectionStore } from '../state/connection';
import { useApp } from './context';
import { useStore } from './use-store';
import { SignInView } from './SignInView';
import { SignUpView } from './SignUpView';
import { OrganisationView } from './OrganisationView';
import { ChangePasswordView } from './ChangePasswordView';
import { QueueView } from './QueueView';
import { Page } from './components/Page';
import { MarketPage } from './market/MarketPage';
import { MarketContext } from './market/context';
import { marketHref, parseMarketPath } from '../state/market-routes';
import { lazyComponent } from './components/lazy';
import { parseDeskPath } from '../state/desk-routes';
import { isSharedPosterPath, parseProgrammePath } from '../state/programme';
import {
  BottomTabs,
  OfflineBanner,
  PendingNotices,
  SignOutDialog,
  UpdatePrompt,
  type OfflineStores,
} from './components/Shell';
import type { SignOutStore } from '../state/sign-out';
import { NotificationsView } from './notifications/NotificationsView';
import { useUnreadBadge } from './notifications/context';

/** The notification centre's address (docs/notifications.md). */
const NOTIFICATIONS_HREF = '#/notifications';

/** The chamber's desk (with its charts) is its own chunk, fetched when a chamber member opens it. */
const DeskPage = lazyComponent(() => import('./desk/DeskPage').then((m) => m.DeskPage));
const ProgrammePage = lazyComponent(() => import('./programme/ProgrammePage').then((m) => m.ProgrammePage));

type Target = Exclude<RouteName, 'notFound'>;

export function App({ connection, offline }: { connection: ConnectionStore; offline?: OfflineStores }) {
  const { t, router, session } = useApp();
  const market = useContext(MarketContext)?.market;
  const { route } = useStore(router);
  const { status, me } = useStore(session);
  const home: Target = me?.organisation.kind === 'chamber' ? 'queue' : 'organisation';

  // Which page the address may show, given who is signed in.
  let redirect: Target | null = null;
  if (status === 'anonymous' && route.name !== 'signIn' && route.name !== 'signUp') redirect = 'signIn';
  if (status === 'anonymous' && route.name === 'notFound' && isSharedPosterPath(route.path)) redirect = null;
  if (status === 'signedIn') {
    if (me?.user.mustChangePassword && route.name !== 'changePassword') redirect = 'changePassword';
    else if (route.name === 'signIn' || route.name === 'signUp') redirect = home;
    else if (route.name === 'queue' && me?.organisation.kind !== 'chamber') redirect = home;
  }
  useEffect(() => {
    if (redirect) router.go(redirect, { replace: true });
  }, [redirect]);

  let page;
  if (status === 'loading' || redirect)
    page = (
      <main id="main" aria-busy="true">
        <p>{t('app.loading')}</p>
      </main>
    );
  else if (route.name === 'signIn') page = <SignInView onSignedIn={() => router.go(home)} />;
  else if (route.name === 'signUp') page = <SignUpView onSignedUp={() => router.go('organisation')} />;
  else if (route.name === 'organisation') page = <OrganisationView />;
  else if (route.name === 'changePassword') page = <ChangePasswordView onChanged={() => router.go(home)} />;
  else if (route.name === 'queue') page = <QueueView />;
  else if (route.name === 'notFound' && route.path === NOTIFICATIONS_HREF.slice(1)) page = <NotificationsView />;
  else if (route.name === 'notFound' && parseDeskPath(route.path))
    page = <DeskPage route={parseDeskPath(route.path) ?? { name: 'board' }} />;
  else if (route.name === 'notFound' && parseProgrammePath(route.path))
    page = <ProgrammePage route={parseProgrammePath(route.path) ?? { name: 'list' }} />;
  else if (route.name === 'notFound' && parseMarketPath(route.path))
    page = <MarketPage route={parseMarketPath(route.path) ?? { name: 'board' }} />;
  else
    page = (
      <Page title={t('app.notFound')}>
        <a href={hrefFor(home)}>{t('app.backHome')}</a>
      </Page>
    );

  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('app.skip')}
      </a>
      {/* One sticky block: the offline banner stays under the top bar however far the page scrolls. */}
      <div class="sticky-head">
        <TopBar connection={connection} current={route.name} signOutGuard={offline?.signOut} />
        <OfflineBanner connection={connection} />
      </div>
      {offline ? <UpdatePrompt update={offline.update} /> : null}
      {offline?.signOut ? <SignOutDialog store={offline.signOut} onSignedOut={() => router.go('signIn')} /> : null}
      {offline && status === 'signedIn' ? (
        <PendingNotices
          pending={offline.pending}
          outbox={offline.outbox}
          orderNumber={(id) => market?.state.orders.find((o) => o.id === id)?.number}
        />
      ) : null}
      {page}
    </>
  );
}

function TopBar({
  connection,
  current,
  signOutGuard,
}: {
  connection: ConnectionStore;
  current: RouteName;
  signOutGuard?: SignOutStore;
}) {
  const { t, i18n, locale, session, router } = useApp();
  const { me } = useStore(session);
  const { live } = useStore(connection);
  // While a one-time password must be replaced, the other pages are out of reach: no links to them.
  const links: ('queue' | 'organisation' | 'changePassword')[] =
    !me || me.user.mustChangePassword
      ? []
      : me.organisation.kind === 'chamber'
        ? ['queue', 'organisation', 'changePassword']
        : ['organisation', 'changePassword'];
  const navKey = { queue: 'nav.queue', organisation: 'nav.organisation', changePassword: 'nav.password' } as const;
  const kind = me && !me.user.mustChangePassword ? marketRoleOf(me.organisation.kind) : null;
  const marketLinks =
    kind === 'farm'
      ? ([
          ['#/market/mine', 'market.nav.mine'],
          ['#/market/post', 'market.nav.post'],
          [marketHref({ name: 'demand' }), 'market.nav.demand'],
          ['#/market/orders', 'market.nav.orders'],
          ['#/market/outlook', 'market.nav.outlook'],
          [marketHref({ name: 'board' }), 'market.nav.board'],
        ] as const)
      : kind === 'restaurant'
        ? ([
            [marketHref({ name: 'board' }), 'market.nav.board'],
            ['#/market/offers', 'market.nav.offers'],
            ['#/market/orders', 'market.nav.orders'],
            ['#/market/plans', 'market.nav.plans'],
            ['#/programme', 'programme.nav'],
          ] as const)
        : kind === 'chamber'
          ? ([
              ['#/desk', 'desk.nav.board'],
              ['#/desk/ledger', 'desk.nav.ledger'],
              ['#/desk/problems', 'desk.nav.problems'],
              ['#/market/chamber', 'market.nav.chamber'],
              [marketHref({ name: 'chamberPlans' }), 'market.nav.chamberPlans'],
              ['#/programme', 'programme.nav'],
            ] as const)
          : [];
  const here = typeof location === 'undefined' ? '' : location.hash;
  const badge = useUnreadBadge();
  const signOut = async () => {
    // With actions still unsent, the dialog asks first (SignOutDialog); otherwise out at once.
    if (signOutGuard) {
      if ((await signOutGuard.request()) === 'signedOut') router.go('signIn');
      return;
    }
    await session.signOut();
    router.go('signIn');
  };
  const tabLinks = [
    ...marketLinks.map(([href, key]) => ({
      href,
      label: t(key),
      current: current === 'notFound' && here === href,
    })),
    ...links.map((name) => ({ href: hrefFor(name), label: t(navKey[name]), current: current === name })),
    ...(me && !me.user.mustChangePassword
      ? [{ href: NOTIFICATIONS_HREF, label: t('notifications.nav'), current: here === NOTIFICATIONS_HREF, badge }]
      : []),
  ];
  return (
    <header class="topbar">
      <div class="topbar-inner">
        <a
          class="brand"
          href={hrefFor(me ? (me.organisation.kind === 'chamber' ? 'queue' : 'organisation') : 'signIn')}
        >
          {t('app.name')}
          <small>{t('app.tagline')}</small>
        </a>
        {live === null ? null : (
          <span class={live && !connection.offline ? 'live' : 'live off'} role="status" data-testid="live-indicator">
            {live && !connection.offline ? t('app.live') : t('app.offline')}
          </span>
        )}
        <button
          type="button"
          class="link-button"
          lang={locale === 'zh-CN' ? 'en' : 'zh-CN'}
          aria-label={t('app.switchLanguageLabel')}
          onClick={() => i18n.toggle()}
        >
          {t('app.switchLanguage')}
        </button>
        {me ? (
          <BottomTabs
            links={tabLinks}
            extra={
              <button type="button" class="link-button" onClick={() => void signOut()}>
                {t('app.signOut')}
              </button>
            }
          />
        ) : null}
        {me ? (
          <nav class="topnav" aria-label={t('app.name')}>
            {marketLinks.map(([href, key]) => (
              <a key={href} href={href} aria-current={current === 'notFound' && here === href ? 'page' : undefined}>
                {t(key)}
              </a>
            ))}
            {links.map((name) => (
              <a key={name} href={hrefFor(name)} aria-current={current === name ? 'page' : undefined}>
                {t(navKey[name])}
              </a>
            ))}
            {me.user.mustChangePassword ? null : (
              <a
                href={NOTIFICATIONS_HREF}
                aria-current={here === NOTIFICATIONS_HREF ? 'page' : undefined}
                aria-label={
                  badge ? `${t('notifications.nav')} · ${t('notifications.unreadLabel', { n: badge })}` : undefined
                }
              >
                {t('notifications.nav')}
                {badge ? (
                  <span class="nav-badge" data-testid="nav-badge">
                    {badge}
                  </span>
                ) : null}
              </a>
            )}
            <button type="button" class="link-button" onClick={() => void signOut()}>
              {t('app.signOut')}
            </button>
          </nav>
        ) : null}
      </div>
    </header>
  );
}
