import { Store } from './store';

/** Hash routes (#/login …) keep the server free of an SPA fallback. */
export type Route =
  | { name: 'signIn' }
  | { name: 'signUp' }
  | { name: 'organisation' }
  | { name: 'changePassword' }
  | { name: 'queue' }
  | { name: 'notFound'; path: string };

export type RouteName = Route['name'];

const paths: Record<Exclude<RouteName, 'notFound'>, string> = {
  signIn: '/login',
  signUp: '/signup',
  organisation: '/org',
  changePassword: '/password',
  queue: '/chamber/queue',
};

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'organisation' };
  for (const [name, p] of Object.entries(paths) as [Exclude<RouteName, 'notFound'>, string][]) {
    if (p === path) return { name } as Route;
  }
  return { name: 'notFound', path };
}

export function hrefFor(name: Exclude<RouteName, 'notFound'>): string {
  return `#${paths[name]}`;
}

export interface NavigateDetail {
  href: string;
  replace: boolean;
}

export interface RouterState {
  route: Route;
}

/**
 * Knows the current route; the browser glue (main.tsx) feeds it hashchange events and
 * writes `location.hash` when the store dispatches 'navigate'.
 */
export class RouterStore extends Store<RouterState> {
  constructor(initialHash: string) {
    super({ route: parseHash(initialHash) });
  }

  /** Called by the glue when the address bar changes. */
  fromHash(hash: string): void {
    const route = parseHash(hash);
    const current = this.state.route;
    // Paths the accounts router does not know (the market's #/market/…) differ by path, not name.
    const samePath = route.name !== 'notFound' || (current.name === 'notFound' && current.path === route.path);
    if (route.name !== current.name || !samePath) this.setState({ route });
  }

  /**
   * Programmatic navigation: updates state and asks the glue to update the address bar
   * (`replace` for redirects, so Back does not bounce into them again).
   */
  go(name: Exclude<RouteName, 'notFound'>, options: { replace?: boolean } = {}): void {
    if (this.state.route.name !== name) this.setState({ route: { name } as Route });
    this.dispatchEvent(
      new CustomEvent<NavigateDetail>('navigate', {
        detail: { href: hrefFor(name), replace: Boolean(options.replace) },
      }),
    );
  }
}
