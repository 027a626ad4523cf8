/**
 * The programme area (万企兴万村): campaigns, pairings, recommendations, research topics, remediation plans,
 * outcomes and the dashboard. `createProgrammeModule(deps)` builds everything: one router, one market-event
 * listener and its socket handlers; nothing here is global. The area's index.ts wires it to the market.
 */
import type { Router } from 'express';
import type { Connection } from 'mongoose';
import type { Logger } from '../../logger';
import type { Publisher } from '../../realtime/hub';
import type { SocketHandler } from '../../realtime/handler';
import type { MarketPort } from '../desk';
import type { MarketEvent } from '../market';
import { createCampaignsService, type CampaignsService, type ProgrammePublisher } from './programme.campaigns';
import { createRecommendationsService, type RecommendationsService } from './programme.recommend';
import { createRemediationService, type RemediationService } from './programme.remediation';
import { createProgrammeRepository } from './programme.repository';
import { programmeRoutes } from './programme.routes';
import { campaignRoom, campaignWatchHandler } from './programme.socket';

export interface ProgrammeDeps {
  connection: Connection;
  /** Where live progress goes (the realtime hub). */
  publisher: Pick<Publisher, 'toChamber' | 'toRoom' | 'toOrganisation'>;
  /** The market as the desk reads it: open lots, outlooks, open demand, daily outcomes. */
  market: MarketPort;
  now: () => Date;
  logger?: Pick<Logger, 'error'>;
}

export interface ProgrammeModule {
  router: Router;
  ready: Promise<void>;
  socketHandlers: SocketHandler[];
  /** Give this the market's events: confirmed and cancelled orders move campaign and pairing progress live. */
  onMarketEvent(event: MarketEvent): Promise<void>;
  services: { campaigns: CampaignsService; recommendations: RecommendationsService; remediation: RemediationService };
}

export function createProgrammeModule(deps: ProgrammeDeps): ProgrammeModule {
  const { connection, now } = deps;
  const repo = createProgrammeRepository(connection);
  const publisher: ProgrammePublisher = {
    campaignProgress(payload) {
      deps.publisher.toChamber('programme:campaign', payload);
      deps.publisher.toRoom(campaignRoom(payload.campaignId), 'programme:campaign', payload);
    },
    pairingChanged(payload, orgIds) {
      deps.publisher.toChamber('programme:pairing', payload);
      for (const orgId of orgIds) deps.publisher.toOrganisation(orgId, 'programme:pairing', payload);
    },
  };
  const campaigns = createCampaignsService({ repo, publisher });
  const recommendations = createRecommendationsService({ repo, market: deps.market });
  const remediation = createRemediationService({ repo, market: deps.market });

  async function handle(event: MarketEvent): Promise<void> {
    if (!event.orderId) return;
    if (event.type === 'order:confirmed') {
      await campaigns.onOrderChanged(event.orderId, 'confirmed', now());
    } else if (event.type === 'order:updated') {
      const order = await repo.orderFacts(event.orderId);
      if (order?.status === 'cancelled') await campaigns.onOrderChanged(event.orderId, 'cancelled', now());
    }
  }

  return {
    router: programmeRoutes({ campaigns, recommendations, remediation, now }),
    ready: repo.ensureIndexes().then(() => campaigns.hashPlainPosterTokens()),
    socketHandlers: [campaignWatchHandler({ campaignExists: async (id) => (await repo.findCampaign(id)) !== null })],
    onMarketEvent: (event) =>
      handle(event).catch((err: unknown) => {
        deps.logger?.error({ err, event: event.type, orderId: event.orderId }, 'programme: market event failed');
      }),
    services: { campaigns, recommendations, remediation },
  };
}
