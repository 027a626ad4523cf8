import { commonFailure, errorBodyOf, failureOf, REASON_OF_COMMON_CODE } from '../../shared/failures';
import { FailureError } from '../../server/errors';
import { errorHandler } from '../../server/http/error-handler';
import { orThrow, STATUS_OF_REASON, statusOf, unwrap } from '../../server/http/failure-status';
import { failure, success } from '../../server/outcome';
import { programmeFail } from '../../server/features/programme/programme.http';
import { ackOfFailure } from '../../server/realtime/ack';
import { marketFail, REASON_OF_MARKET_CODE } from '../../server/features/market/kernel/market.failures';
import { deskFail, REASON_OF_DESK_CODE } from '../../server/features/desk/kernel/desk.http';

/** The statuses the API answered with before the failure shape was unified; they must not move. */
const STATUS_BEFORE: Record<string, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  CSRF: 403,
  VERIFICATION_PENDING: 403,
  ORGANISATION_SUSPENDED: 403,
  NOT_FOUND: 404,
  LAST_MANAGER: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};
const MARKET_BEFORE: Record<string, number> = {
  NOT_ENOUGH_LEFT: 409,
  OWN_LOT: 403,
  WRONG_SIDE: 403,
  PRICE_BELOW_RESERVE: 422,
  LOT_ALREADY_EXPIRED: 422,
  DEMAND_CLOSED: 422,
  RESERVATION_INTERRUPTED: 503,
  COUNTERPARTY_NOT_VERIFIED: 409,
};
const DESK_BEFORE: Record<string, number> = {
  STALE: 409,
  NOT_ON_A_VISIT: 400,
  SEND_NOT_AVAILABLE: 501,
  MARKET_REFUSED: 409,
  NOT_FOUND: 404,
};

function sent(err: unknown) {
  const res = {
    statusCode: 0,
    headers: {} as Record<string, string>,
    body: undefined as unknown,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    set(name: string, value: string) {
      this.headers[name] = value;
      return this;
    },
    json(body: unknown) {
      this.body = body;
      return this;
    },
  };
  const req = { id: 'req-1', log: { error: () => undefined } };
  (errorHandler as unknown as (e: unknown, q: unknown, r: unknown, n: unknown) => void)(err, req, res, () => undefined);
  return res;
}

describe('the failure table (reason → HTTP status)', () => {
  it('gives every reason a status', () => {
    for (const status of Object.values(STATUS_OF_REASON)) expect(status).toBeGreaterThanOrEqual(400);
  });

  it('keeps every common code at the status it had', () => {
    for (const [code, status] of Object.entries(STATUS_BEFORE)) {
      expect([code, statusOf(commonFailure(code as keyof typeof REASON_OF_COMMON_CODE, 'x'))]).toEqual([code, status]);
    }
  });

  it('keeps the market and desk codes at the statuses they had', () => {
    for (const [code, status] of Object.entries(MARKET_BEFORE)) {
      const failure = marketFail(code as keyof typeof REASON_OF_MARKET_CODE, 'x').error;
      expect([code, statusOf(failure)]).toEqual([code, status]);
    }
    for (const [code, status] of Object.entries(DESK_BEFORE)) {
      const failure = deskFail(code as keyof typeof REASON_OF_DESK_CODE, 'x').error;
      expect([code, statusOf(failure)]).toEqual([code, status]);
    }
  });

  it('sends one body everywhere: {error: {code, message, fields?, …details, requestId}}', () => {
    const res = sent(
      new FailureError(
        marketFail('NOT_ENOUGH_LEFT', 'Only 5 kg left', {
          field: 'quantityGrams',
          details: { remainingGrams: 5000 },
        }).error,
      ),
    );
    expect(res.statusCode).toBe(409);
    expect(res.body).toEqual({
      error: {
        code: 'NOT_ENOUGH_LEFT',
        message: 'Only 5 kg left',
        fields: { quantityGrams: 'Only 5 kg left' },
        remainingGrams: 5000,
        requestId: 'req-1',
      },
    });
  });

  it('says when to retry a rate-limited request, in the header and the body', () => {
    const res = sent(new FailureError(commonFailure('RATE_LIMITED', 'Slow down', { retryAfterSeconds: 30 })));
    expect(res.statusCode).toBe(429);
    expect(res.headers['Retry-After']).toBe('30');
    expect(res.body).toMatchObject({ error: { code: 'RATE_LIMITED', retryAfterSeconds: 30, requestId: 'req-1' } });
  });

  it('hides an unexpected error behind INTERNAL', () => {
    const res = sent(new Error('database password is hunter2'));
    expect(res.statusCode).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: expect.any(String), requestId: 'req-1' } });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });
});

describe('failure → socket ack', () => {
  it('carries the same code, message and facts as the HTTP body', () => {
    const failure = failureOf('CONFLICT', 'NOT_ENOUGH_LEFT', 'Only 5 kg left', {
      fields: { quantityGrams: 'Only 5 kg left' },
      details: { remainingGrams: 5000 },
    });
    expect(ackOfFailure(failure)).toEqual({
      ok: false,
      error: {
        code: 'NOT_ENOUGH_LEFT',
        message: 'Only 5 kg left',
        details: { remainingGrams: 5000, fields: { quantityGrams: 'Only 5 kg left' } },
      },
    });
    const { code, message, fields, remainingGrams } = errorBodyOf(failure);
    expect({ code, message, fields, remainingGrams }).toEqual({
      code: 'NOT_ENOUGH_LEFT',
      message: 'Only 5 kg left',
      fields: { quantityGrams: 'Only 5 kg left' },
      remainingGrams: 5000,
    });
  });

  it('omits details when there are none', () => {
    expect(ackOfFailure(commonFailure('NOT_FOUND', 'Lot not found'))).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Lot not found' },
    });
  });
});

describe('one way to build a failure (server/outcome.ts failureBuilder)', () => {
  it('answers every area the same: the code’s reason, the message under the field at fault, non-empty details', () => {
    const fromDesk = deskFail('MARKET_REFUSED', 'Only 5 kg left', {
      fields: { quantityGrams: 'Only 5 kg left' },
      details: { marketReason: 'NOT_ENOUGH_LEFT' },
    });
    expect(fromDesk).toEqual({
      ok: false,
      error: {
        reason: 'CONFLICT',
        code: 'MARKET_REFUSED',
        message: 'Only 5 kg left',
        fields: { quantityGrams: 'Only 5 kg left' },
        details: { marketReason: 'NOT_ENOUGH_LEFT' },
      },
    });
    expect(programmeFail('NOT_A_FARM', 'No such farm', { field: 'farmId', details: {} })).toEqual({
      ok: false,
      error: { reason: 'INVALID', code: 'NOT_A_FARM', message: 'No such farm', fields: { farmId: 'No such farm' } },
    });
    expect(failure('RATE_LIMITED', 'Slow down', { retryAfterSeconds: 30 }).error).toEqual(
      commonFailure('RATE_LIMITED', 'Slow down', { retryAfterSeconds: 30 }),
    );
  });

  it('answers a pure rule’s refusal ({ ok: false, reason, message, field }) as the owner’s failure', () => {
    const refusal = { ok: false as const, reason: 'TOO_MANY_LINKS' as const, message: 'At most 20', field: 'links' };
    expect(programmeFail.refused(refusal)).toEqual(programmeFail('TOO_MANY_LINKS', 'At most 20', { field: 'links' }));
    expect(deskFail.refused({ ...refusal, field: undefined }).error).not.toHaveProperty('fields');
  });

  it('routes answer through one orThrow: the success as it is, a failure thrown for the error handler', () => {
    expect(orThrow({ ok: true, order: 'o1' })).toEqual({ ok: true, order: 'o1' });
    expect(unwrap(success(7))).toBe(7);
    const refused = programmeFail('CAMPAIGN_FULL', 'Full');
    expect(() => orThrow(refused)).toThrow(FailureError);
    const res = sent(catchOf(() => orThrow(refused)));
    expect([res.statusCode, res.body]).toEqual([
      409,
      { error: { code: 'CAMPAIGN_FULL', message: 'Full', requestId: 'req-1' } },
    ]);
  });
});

function catchOf(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}
