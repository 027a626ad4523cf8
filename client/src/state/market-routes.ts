/** The market's hash paths (#/market/…), parsed beside the accounts router so its files stay untouched. */
export type MarketRoute =
  | { name: 'board' }
  | { name: 'lot'; id: string }
  | { name: 'post' }
  | { name: 'mine' }
  | { name: 'orders' }
  | { name: 'chamber' }
  /** Chamber staff, read-only: farms' capacity and outlooks, standing orders, open demand. */
  | { name: 'chamberPlans' }
  | { name: 'outlook' }
  | { name: 'plans' }
  | { name: 'offers' }
  | { name: 'demand' }
  /** One order: its detail and printable delivery note (送货单); the QR opens it for receipt. */
  | { name: 'order'; id: string };

export function parseMarketPath(path: string): MarketRoute | null {
  if (path === '/market') return { name: 'board' };
  const lot = /^\/market\/lot\/([0-9a-f]{24})$/.exec(path);
  if (lot) return { name: 'lot', id: lot[1] };
  if (path === '/market/post') return { name: 'post' };
  if (path === '/market/mine') return { name: 'mine' };
  if (path === '/market/orders') return { name: 'orders' };
  if (path === '/market/chamber') return { name: 'chamber' };
  if (path === '/market/chamber/plans') return { name: 'chamberPlans' };
  if (path === '/market/outlook') return { name: 'outlook' };
  if (path === '/market/plans') return { name: 'plans' };
  if (path === '/market/offers') return { name: 'offers' };
  if (path === '/market/demand') return { name: 'demand' };
  const order = /^\/market\/order\/([0-9a-f]{24})$/.exec(path);
  if (order) return { name: 'order', id: order[1] };
  return null;
}

export function marketHref(route: MarketRoute): string {
  if (route.name === 'chamberPlans') return '#/market/chamber/plans';
  if (route.name === 'order') return `#/market/order/${route.id}`;
  return route.name === 'board'
    ? '#/market'
    : route.name === 'lot'
      ? `#/market/lot/${route.id}`
      : `#/market/${route.name}`;
}
