/**
 * Campaigns (消费帮扶行动) and pairings (结对帮扶): the rules for making them, joining them, and the
 * scope their progress is counted in (scope.ts). `now` and ids are passed in.
 */
import { fail, type Failure } from '../outcome';
import type { ProgrammeScope } from './scope';

export type CampaignStatus = 'upcoming' | 'running' | 'ended';

export interface CampaignInput {
  name: string;
  startsAt: Date;
  endsAt: Date;
  productCodes?: string[];
  farmIds?: string[];
  villages?: string[];
  targetValueFen?: number;
  targetGrams?: number;
}

export interface Campaign extends CampaignInput {
  id: string;
  createdBy: string;
  createdAt: Date;
  invitedOrgIds: string[];
  joinedOrgIds: string[];
}

/** No campaign runs longer than a year: the progress query reads one period of orders. */
const MAX_PERIOD_MS = 366 * 24 * 3_600_000;
/** Invitations and members a campaign keeps (nothing grows without bound). */
const MAX_CAMPAIGN_MEMBERS = 500;

export type PeriodFailure = Failure<'INVALID_PERIOD'>;

export function checkPeriod(startsAt: Date, endsAt: Date): { ok: true } | PeriodFailure {
  if (endsAt.getTime() <= startsAt.getTime()) return fail('INVALID_PERIOD', 'endsAt must be after startsAt', 'endsAt');
  if (endsAt.getTime() - startsAt.getTime() > MAX_PERIOD_MS)
    return fail('INVALID_PERIOD', 'A period is at most a year', 'endsAt');
  return { ok: true };
}

export function campaignStatus(campaign: Pick<Campaign, 'startsAt' | 'endsAt'>, now: Date): CampaignStatus {
  if (now.getTime() < campaign.startsAt.getTime()) return 'upcoming';
  if (now.getTime() >= campaign.endsAt.getTime()) return 'ended';
  return 'running';
}

export function campaignScope(campaign: CampaignInput): ProgrammeScope {
  return {
    startsAt: campaign.startsAt,
    endsAt: campaign.endsAt,
    ...(campaign.productCodes?.length ? { productCodes: campaign.productCodes } : {}),
    ...(campaign.farmIds?.length ? { farmIds: campaign.farmIds } : {}),
    ...(campaign.villages?.length ? { villages: campaign.villages } : {}),
  };
}

export function newCampaign(
  input: CampaignInput & { id: string; createdBy: string },
  now: Date,
): { ok: true; campaign: Campaign } | PeriodFailure {
  const period = checkPeriod(input.startsAt, input.endsAt);
  if (!period.ok) return period;
  const dedupe = (list?: string[]) => (list && list.length > 0 ? [...new Set(list)] : undefined);
  const productCodes = dedupe(input.productCodes);
  const farmIds = dedupe(input.farmIds);
  const villages = dedupe(input.villages);
  return {
    ok: true,
    campaign: {
      id: input.id,
      name: input.name.trim(),
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      ...(productCodes ? { productCodes } : {}),
      ...(farmIds ? { farmIds } : {}),
      ...(villages ? { villages } : {}),
      ...(input.targetValueFen !== undefined ? { targetValueFen: input.targetValueFen } : {}),
      ...(input.targetGrams !== undefined ? { targetGrams: input.targetGrams } : {}),
      createdBy: input.createdBy,
      createdAt: now,
      invitedOrgIds: [],
      joinedOrgIds: [],
    },
  };
}

export type JoinFailure = Failure<'CAMPAIGN_ENDED' | 'NOT_INVITED' | 'CAMPAIGN_FULL'>;

/**
 * An enterprise joins a campaign it was invited to (or any campaign when `openToAll`), until the campaign
 * ends. Joining twice is a no-op (idempotent), not an error.
 */
export function joinCampaign(
  campaign: Pick<Campaign, 'startsAt' | 'endsAt' | 'invitedOrgIds' | 'joinedOrgIds'>,
  orgId: string,
  now: Date,
  openToAll = true,
): { ok: true; joinedOrgIds: string[]; changed: boolean } | JoinFailure {
  if (campaign.joinedOrgIds.includes(orgId)) return { ok: true, joinedOrgIds: campaign.joinedOrgIds, changed: false };
  if (campaignStatus(campaign, now) === 'ended') return fail('CAMPAIGN_ENDED', 'The campaign has ended');
  if (!openToAll && !campaign.invitedOrgIds.includes(orgId))
    return fail('NOT_INVITED', 'Only invited enterprises may join this campaign');
  if (campaign.joinedOrgIds.length >= MAX_CAMPAIGN_MEMBERS) return fail('CAMPAIGN_FULL', 'The campaign is full');
  return { ok: true, joinedOrgIds: [...campaign.joinedOrgIds, orgId], changed: true };
}

/** Invites the organisations not yet invited; the list stays within MAX_CAMPAIGN_MEMBERS. */
export function inviteToCampaign(
  campaign: Pick<Campaign, 'invitedOrgIds'>,
  orgIds: readonly string[],
): { ok: true; invitedOrgIds: string[]; added: string[] } | Failure<'CAMPAIGN_FULL'> {
  const added = [...new Set(orgIds)].filter((id) => !campaign.invitedOrgIds.includes(id));
  const invitedOrgIds = [...campaign.invitedOrgIds, ...added];
  if (invitedOrgIds.length > MAX_CAMPAIGN_MEMBERS) return fail('CAMPAIGN_FULL', 'Too many invitations');
  return { ok: true, invitedOrgIds, added };
}
