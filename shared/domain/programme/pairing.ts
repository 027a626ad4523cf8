/**
 * Pairing (结对帮扶): the chamber pairs a member enterprise with a farm or a village, for a period, with an
 * optional pledge ("20 t of that village's produce this quarter", or "¥100,000"). Progress is the
 * enterprise's counted orders from those sellers in the period (scope.ts), never typed in. A pairing is
 * ended rather than deleted, and every change is kept in its history.
 */
import { fail, type Failure } from '../outcome';
import { checkPeriod, type PeriodFailure } from './campaign';
import { permilleOf, type ProgrammeScope, type Progress } from './scope';

type PairingStatus = 'active' | 'ended';

interface PairingStep {
  action: 'pair' | 'pledge' | 'end';
  by: string;
  at: Date;
  note?: string;
  pledgeGrams?: number;
  pledgeFen?: number;
}

export interface Pairing {
  id: string;
  enterpriseOrgId: string;
  farmIds: string[];
  villages: string[];
  startsAt: Date;
  endsAt: Date;
  pledgeGrams?: number;
  pledgeFen?: number;
  note?: string;
  status: PairingStatus;
  history: PairingStep[];
  createdAt: Date;
}

export interface PairingInput {
  id: string;
  enterpriseOrgId: string;
  farmIds?: string[];
  villages?: string[];
  startsAt: Date;
  endsAt: Date;
  pledgeGrams?: number;
  pledgeFen?: number;
  note?: string;
  by: string;
}

export type PairingFailure = PeriodFailure | Failure<'NO_COUNTERPART' | 'PAIRING_ENDED'>;

export function newPairing(input: PairingInput, now: Date): { ok: true; pairing: Pairing } | PairingFailure {
  const farmIds = [...new Set(input.farmIds ?? [])];
  const villages = [...new Set((input.villages ?? []).map((v) => v.trim()).filter((v) => v.length > 0))];
  if (farmIds.length === 0 && villages.length === 0)
    return fail('NO_COUNTERPART', 'Name a farm or a village to pair with', 'farmIds');
  const period = checkPeriod(input.startsAt, input.endsAt);
  if (!period.ok) return period;
  const pledge = {
    ...(input.pledgeGrams !== undefined ? { pledgeGrams: input.pledgeGrams } : {}),
    ...(input.pledgeFen !== undefined ? { pledgeFen: input.pledgeFen } : {}),
  };
  return {
    ok: true,
    pairing: {
      id: input.id,
      enterpriseOrgId: input.enterpriseOrgId,
      farmIds,
      villages,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      ...pledge,
      ...(input.note ? { note: input.note } : {}),
      status: 'active',
      history: [{ action: 'pair', by: input.by, at: now, ...pledge, ...(input.note ? { note: input.note } : {}) }],
      createdAt: now,
    },
  };
}

/** Changes the pledge (the history keeps the old one). */
export function changePledge(
  pairing: Pairing,
  change: { pledgeGrams?: number | null; pledgeFen?: number | null; by: string; note?: string },
  now: Date,
): { ok: true; pairing: Pairing } | PairingFailure {
  if (pairing.status === 'ended') return fail('PAIRING_ENDED', 'The pairing has ended');
  const { pledgeGrams: _g, pledgeFen: _f, ...rest } = pairing;
  const grams = change.pledgeGrams === undefined ? pairing.pledgeGrams : (change.pledgeGrams ?? undefined);
  const fen = change.pledgeFen === undefined ? pairing.pledgeFen : (change.pledgeFen ?? undefined);
  const pledge = {
    ...(grams !== undefined ? { pledgeGrams: grams } : {}),
    ...(fen !== undefined ? { pledgeFen: fen } : {}),
  };
  const step: PairingStep = { action: 'pledge', by: change.by, at: now, ...pledge };
  if (change.note) step.note = change.note;
  return { ok: true, pairing: { ...rest, ...pledge, history: [...pairing.history, step] } };
}

export function endPairing(
  pairing: Pairing,
  by: string,
  now: Date,
  note?: string,
): { ok: true; pairing: Pairing } | PairingFailure {
  if (pairing.status === 'ended') return fail('PAIRING_ENDED', 'The pairing has already ended');
  const step: PairingStep = { action: 'end', by, at: now, ...(note ? { note } : {}) };
  // An ended pairing counts up to the day it ended, not to its planned end.
  const endsAt = now.getTime() < pairing.endsAt.getTime() ? now : pairing.endsAt;
  return { ok: true, pairing: { ...pairing, status: 'ended', endsAt, history: [...pairing.history, step] } };
}

export function pairingScope(
  pairing: Pick<Pairing, 'enterpriseOrgId' | 'farmIds' | 'villages' | 'startsAt' | 'endsAt'>,
): ProgrammeScope {
  return {
    startsAt: pairing.startsAt,
    endsAt: pairing.endsAt,
    buyerOrgIds: [pairing.enterpriseOrgId],
    farmIds: pairing.farmIds,
    villages: pairing.villages,
  };
}

export interface PledgeProgress {
  /** Per-mille of the pledge reached (null without that pledge). */
  gramsPermille: number | null;
  valuePermille: number | null;
}

export function pledgeProgress(
  pairing: Pick<Pairing, 'pledgeGrams' | 'pledgeFen'>,
  progress: Progress,
): PledgeProgress {
  return {
    gramsPermille: permilleOf(progress.grams, pairing.pledgeGrams),
    valuePermille: permilleOf(progress.valueFen, pairing.pledgeFen),
  };
}
