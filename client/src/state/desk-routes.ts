/** The desk's hash routes (#/desk, #/desk/ledger, #/desk/problems), beside the accounts and market routes. */
export type DeskRoute = { name: 'board' } | { name: 'ledger' } | { name: 'problems' };

export function parseDeskPath(path: string): DeskRoute | null {
  if (path === '/desk') return { name: 'board' };
  if (path === '/desk/ledger') return { name: 'ledger' };
  if (path === '/desk/problems') return { name: 'problems' };
  return null;
}

export function deskHref(route: DeskRoute): string {
  return route.name === 'board' ? '#/desk' : `#/desk/${route.name}`;
}
