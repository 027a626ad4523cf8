import type { VerificationAction, VerificationState } from '../schemas/accounts';

const allowedFrom: Record<VerificationAction, readonly VerificationState[]> = {
  verify: ['pending', 'rejected'],
  reject: ['pending'],
  suspend: ['verified'],
  reinstate: ['suspended'],
};

const resultOf: Record<VerificationAction, VerificationState> = {
  verify: 'verified',
  reject: 'rejected',
  suspend: 'suspended',
  reinstate: 'verified',
};

export type VerificationDecision =
  | { ok: true; from: VerificationState; to: VerificationState }
  | { ok: false; reason: 'INVALID_TRANSITION'; message: string };

/** The chamber's verification state machine. */
export function decideVerification(current: VerificationState, action: VerificationAction): VerificationDecision {
  if (!allowedFrom[action].includes(current)) {
    return { ok: false, reason: 'INVALID_TRANSITION', message: `Cannot ${action} an organisation that is ${current}` };
  }
  return { ok: true, from: current, to: resultOf[action] };
}
