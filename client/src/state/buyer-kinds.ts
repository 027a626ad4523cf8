/**
 * Restaurants, enterprise canteens, retailers and other member enterprises all buy alike: on the market
 * pages they share one role ("restaurant" in the market store means "a buyer").
 */
import type { OrganisationKind } from '../../../shared/schemas/accounts';
import type { MarketRole } from './market';

export const marketRoleOf = (kind: OrganisationKind): MarketRole =>
  kind === 'farm' || kind === 'chamber' ? kind : 'restaurant';
