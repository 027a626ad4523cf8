import { Decimal128 } from 'bson';

/**
 * Exact decimal arithmetic for Decimal128 values ($inc, $mul, comparisons), so money-like
 * values do not go through binary doubles. A finite decimal is coefficient × 10^exponent.
 */
export interface Exact {
  coefficient: bigint;
  exponent: number;
}

/** Parses a decimal string ("1.10", "-5E+2", "7"); undefined for NaN and infinities. */
export function parseExact(text: string): Exact | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const fraction = m[3] ?? '';
  const digits = `${m[2]}${fraction}` || '0';
  const coefficient = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
  return { coefficient, exponent: Number(m[4] ?? '0') - fraction.length };
}

function align(a: Exact, b: Exact): [bigint, bigint, number] {
  const exponent = Math.min(a.exponent, b.exponent);
  return [
    a.coefficient * 10n ** BigInt(a.exponent - exponent),
    b.coefficient * 10n ** BigInt(b.exponent - exponent),
    exponent,
  ];
}

export function compareExact(a: Exact, b: Exact): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addExact(a: Exact, b: Exact): Exact {
  const [x, y, exponent] = align(a, b);
  return { coefficient: x + y, exponent };
}

export function mulExact(a: Exact, b: Exact): Exact {
  return { coefficient: a.coefficient * b.coefficient, exponent: a.exponent + b.exponent };
}

export function toDecimal128(e: Exact): Decimal128 {
  return Decimal128.fromString(`${e.coefficient.toString()}E${e.exponent}`);
}
