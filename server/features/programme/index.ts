/**
 * The programme area's front door (万企兴万村, docs/programme.md): campaigns, pairings, recommendations,
 * research topics, remediation plans, outcomes and the dashboard. It reads the market through the desk's
 * market port and follows the market's events through the market area's index (subscribed here, explicitly).
 */
import type { AreaRegistration } from '../../area';
import type { MarketArea } from '../market';
import { createProgrammeModule, type ProgrammeDeps } from './programme.module';

export function createProgrammeArea(deps: ProgrammeDeps & { marketArea: MarketArea }) {
  const { marketArea, ...rest } = deps;
  const programme = createProgrammeModule(rest);
  // Confirmed and cancelled orders move campaign and pairing progress live (the listener logs its own failures).
  marketArea.onEvent((event) => programme.onMarketEvent(event));
  return {
    services: programme.services,
    register(): AreaRegistration {
      return { router: programme.router, socketHandlers: programme.socketHandlers, ready: programme.ready };
    },
  };
}
