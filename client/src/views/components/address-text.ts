import type { Address } from '../../../../shared/schemas/accounts';

/** Chinese addresses run from the largest unit to the smallest, without separators. */
export function addressText(a: Address): string {
  return [a.province, a.city, a.county, a.township, a.village].filter(Boolean).join('');
}
