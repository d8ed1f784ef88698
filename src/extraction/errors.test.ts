import { BitgetApiError } from '../bitget/errors';
import type { BitgetApiErrorFields } from '../bitget/errors';
import { categoriseFailure } from '../bitget/errors';
import { classifyFailure, RETENTION_REFUSED_CODE } from './errors';

/** A client error as the Bitget client raises it for an answer with `exchangeCode`. */
function apiError(httpStatus: number, exchangeCode: string | null, transportCode: string | null = null) {
  const fields: BitgetApiErrorFields = {
    category: categoriseFailure({ httpStatus, exchangeCode, exchangeMessage: 'msg', transportCode }),
    endpoint: 'futuresHistoryOrders',
    path: '/api/v2/mix/order/orders-history',
    httpStatus,
    exchangeCode,
    exchangeMessage: 'msg',
    transportCode,
    attempts: 1,
  };
  return BitgetApiError.create(fields);
}

describe('classifyFailure: what the lane does with a failed page', () => {
  it("recognises Bitget's retention refusal (40704) by its code, whatever category the client gave it", () => {
    const { kind, info } = classifyFailure(apiError(400, RETENTION_REFUSED_CODE));
    expect(kind).toBe('retention_expired');
    expect(info.message).toContain('40704');
  });

  it('recognises 40704 carried as a plain error code too (a fake exchange, an error without exchangeCode)', () => {
    expect(classifyFailure(Object.assign(new Error('too old'), { code: '40704' })).kind).toBe(
      'retention_expired',
    );
  });

  it('retries server errors and 429s, skips a missing symbol, stops on auth and on anything unknown', () => {
    expect(classifyFailure(apiError(502, null)).kind).toBe('retryable');
    expect(classifyFailure(apiError(429, '429')).kind).toBe('retryable');
    expect(classifyFailure(apiError(400, '40034')).kind).toBe('symbol_missing');
    expect(classifyFailure(apiError(401, '40006')).kind).toBe('fatal');
    expect(classifyFailure(new Error('boom'))).toEqual({
      kind: 'fatal',
      info: { category: 'unknown', message: 'Error: boom' },
    });
  });
});
