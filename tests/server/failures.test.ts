import { commonFailure, errorBodyOf, failureOf, REASON_OF_COMMON_CODE } from '../../shared/failures';
import { FailureError } from '../../server/errors';
import { errorHandler } from '../../server/http/error-handler';
import { STATUS_OF_REASON, statusOf } from '../../server/http/failure-status';
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
