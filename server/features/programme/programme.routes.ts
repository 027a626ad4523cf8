/**
 * /api/campaigns, /api/pairings, /api/recommendations, /api/research-topics, /api/remediation-plans,
 * /api/programme-outcomes, /api/programme/dashboard (docs/programme.md). Parse with the shared schema,
 * call the service, reply; who may act is checked here (chamber staff) and in the services (visibility).
 */
import { Router } from 'express';
import { isChamberStaff } from '../../../shared/domain/permissions';
import { idParamsSchema } from '../../../shared/schemas/accounts';
import {
  createCampaignBody,
  createOutcomeBody,
  createPairingBody,
  createPlanBody,
  createTopicBody,
  dashboardQuery,
  endPairingBody,
  inviteBody,
  listCampaignsQuery,
  campaignOrdersQuery,
  listOutcomesQuery,
  listPairingsQuery,
  listPlansQuery,
  listTopicsQuery,
  posterLinkBody,
  posterQuery,
  recommendationsQuery,
  taskDoneBody,
  taskParams,
  updatePledgeBody,
  updateTopicBody,
} from '../../../shared/schemas/programme';
import { orThrow } from '../../http/failure-status';
import { currentUser, requireAuth, requireRole, requireVerified } from '../../http/guards';
import { parse } from '../../http/validate';
import type { CampaignsService } from './programme.campaigns';
import type { RecommendationsService } from './programme.recommend';
import type { RemediationService } from './programme.remediation';

export interface ProgrammeRoutesDeps {
  campaigns: CampaignsService;
  recommendations: RecommendationsService;
  remediation: RemediationService;
  now: () => Date;
}

const chamber = requireRole(isChamberStaff, 'This is for chamber of commerce staff.');
const idOf = (params: unknown) => parse(idParamsSchema, params).id;

export function programmeRoutes({ campaigns, recommendations, remediation, now }: ProgrammeRoutesDeps): Router {
  const router = Router();
  const me = (req: Parameters<typeof currentUser>[0]) => currentUser(req).principal;

  // ---------------------------------------------------------------- campaigns (消费帮扶行动)
  router.post('/campaigns', chamber, async (req, res) => {
    const { campaign } = orThrow(await campaigns.createCampaign(parse(createCampaignBody, req.body), me(req), now()));
    res.status(201).json({ campaign });
  });
  router.get('/campaigns', requireAuth, async (req, res) => {
    res.json(await campaigns.listCampaigns(parse(listCampaignsQuery, req.query), me(req), now()));
  });
  router.get('/campaigns/:id', requireAuth, async (req, res) => {
    const { campaign } = orThrow(await campaigns.getCampaign(idOf(req.params), me(req), now()));
    res.json({ campaign });
  });
  // The shareable poster: read-only totals, for members and for anyone holding the share link's token.
  router.get('/campaigns/:id/poster', async (req, res) => {
    const { token } = parse(posterQuery, req.query);
    const { poster } = orThrow(await campaigns.poster(idOf(req.params), token, req.user?.principal ?? null, now()));
    res.json({ poster });
  });
  // A new share link (the old one stops working) or, with `{share: false}`, no public link at all.
  router.post('/campaigns/:id/poster-link', chamber, async (req, res) => {
    const { share } = parse(posterLinkBody, req.body ?? {});
    const { posterToken } = orThrow(await campaigns.resharePoster(idOf(req.params), share));
    res.json({ posterToken });
  });
  router.get('/campaigns/:id/orders', requireAuth, async (req, res) => {
    const page = parse(campaignOrdersQuery, req.query);
    const { items, nextCursor, total } = orThrow(await campaigns.campaignOrders(idOf(req.params), page, me(req)));
    res.json({ items, nextCursor, total });
  });
  router.post('/campaigns/:id/invite', chamber, async (req, res) => {
    const { invitedOrgIds, added } = orThrow(
      await campaigns.invite(idOf(req.params), parse(inviteBody, req.body).orgIds),
    );
    res.json({ invitedOrgIds, added });
  });
  router.post('/campaigns/:id/join', requireVerified, async (req, res) => {
    const { changed } = orThrow(await campaigns.join(idOf(req.params), me(req), now()));
    res.json({ joined: true, changed });
  });

  // ---------------------------------------------------------------- pairings (结对帮扶)
  router.post('/pairings', chamber, async (req, res) => {
    const { pairing } = orThrow(await campaigns.createPairing(parse(createPairingBody, req.body), me(req), now()));
    res.status(201).json({ pairing });
  });
  router.get('/pairings', requireAuth, async (req, res) => {
    res.json(await campaigns.listPairings(parse(listPairingsQuery, req.query), me(req)));
  });
  router.get('/pairings/:id', requireAuth, async (req, res) => {
    const { pairing } = orThrow(await campaigns.getPairing(idOf(req.params), me(req)));
    res.json({ pairing });
  });
  router.patch('/pairings/:id', chamber, async (req, res) => {
    const body = parse(updatePledgeBody, req.body);
    const { pairing } = orThrow(await campaigns.changePledge(idOf(req.params), body, me(req), now()));
    res.json({ pairing });
  });
  router.post('/pairings/:id/end', chamber, async (req, res) => {
    const { note } = parse(endPairingBody, req.body ?? {});
    const { pairing } = orThrow(await campaigns.endPairing(idOf(req.params), note, me(req), now()));
    res.json({ pairing });
  });

  // ---------------------------------------------------------------- recommendations
  router.get('/recommendations', chamber, async (req, res) => {
    const { target, items } = orThrow(await recommendations.recommend(parse(recommendationsQuery, req.query), now()));
    res.json({ target, items });
  });

  // ---------------------------------------------------------------- topics, plans, outcomes, dashboard
  router.post('/research-topics', chamber, async (req, res) => {
    const { topic } = await remediation.createTopic(parse(createTopicBody, req.body), me(req), now());
    res.status(201).json({ topic });
  });
  router.get('/research-topics', chamber, async (req, res) => {
    res.json(await remediation.listTopics(parse(listTopicsQuery, req.query)));
  });
  router.patch('/research-topics/:id', chamber, async (req, res) => {
    const { topic } = orThrow(await remediation.updateTopic(idOf(req.params), parse(updateTopicBody, req.body)));
    res.json({ topic });
  });
  router.post('/remediation-plans', chamber, async (req, res) => {
    const { plan } = orThrow(await remediation.createPlan(parse(createPlanBody, req.body), me(req), now()));
    res.status(201).json({ plan });
  });
  router.get('/remediation-plans', chamber, async (req, res) => {
    res.json(await remediation.listPlans(parse(listPlansQuery, req.query), now()));
  });
  router.post('/remediation-plans/:id/tasks/:index', chamber, async (req, res) => {
    const { id, index } = parse(taskParams, req.params);
    const { plan } = orThrow(await remediation.setTask(id, index, parse(taskDoneBody, req.body).done, now()));
    res.json({ plan });
  });
  router.post('/programme-outcomes', chamber, async (req, res) => {
    const { outcome } = orThrow(await remediation.createOutcome(parse(createOutcomeBody, req.body), me(req), now()));
    res.status(201).json({ outcome });
  });
  router.get('/programme-outcomes', chamber, async (req, res) => {
    res.json(await remediation.listOutcomes(parse(listOutcomesQuery, req.query)));
  });
  router.get('/programme/dashboard', chamber, async (req, res) => {
    res.json(await remediation.dashboard(parse(dashboardQuery, req.query)));
  });

  return router;
}
