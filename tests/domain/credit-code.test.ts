import { checkCreditCode, creditCodeCheckChar, isValidCreditCode } from '../../shared/domain/credit-code';
import { aCreditCode } from '../fixtures/accounts';

describe('unified social credit code (GB 32100-2015)', () => {
  it.each([
    '91350100M000100Y43', // the standard's worked example
    '91110108551385082Q',
    '914403001922038216',
    '91110000802100433B',
    '91330100716105852F',
    '51360113MJD000001U', // the bootstrap chamber (derived: check character computed)
  ])('accepts the published code %s', (code) => {
    expect(checkCreditCode(code)).toEqual({ ok: true, code });
  });

  it('normalises lower case and surrounding spaces', () => {
    expect(checkCreditCode(' 91350100m000100y43 ')).toEqual({ ok: true, code: '91350100M000100Y43' });
  });

  it('computes the check character from the first 17 characters', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    // A remainder of 0 gives check value 0, not 31.
    for (let i = 0; i < 200; i += 1) {
      const code = aCreditCode();
      expect(isValidCreditCode(code)).toBe(true);
    }
  });

  it('rejects a code whose check character is wrong', () => {
    expect(checkCreditCode('91350100M000100Y44')).toEqual({ ok: false, reason: 'CHECK_CHARACTER' });
    // every single-character change to the last position is caught
    for (const c of '0123456789ABCDEFGHJKLMNPQRTUWXY'.replace('3', '')) {
      expect(isValidCreditCode(`91350100M000100Y4${c}`)).toBe(false);
    }
  });

  it('rejects wrong length and characters outside the alphabet (I, O, Z, S, V)', () => {
    expect(checkCreditCode('91350100M000100Y4')).toEqual({ ok: false, reason: 'SHAPE' });
    expect(checkCreditCode('91350100M000100Y433')).toEqual({ ok: false, reason: 'SHAPE' });
    for (const bad of 'IOZSV')
      expect(checkCreditCode(`9135010${bad}M000100Y43`)).toEqual({ ok: false, reason: 'SHAPE' });
    expect(creditCodeCheckChar('9135010IM000100Y4')).toBeNull();
  });
});
