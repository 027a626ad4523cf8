/**
 * Server field errors placed at the form's fields. The server names body paths
 * (`{ error: { fields: { quantityGrams: "…" } } }`); a form names its inputs (`quantity`).
 * Each form lists which input shows which path; a path no input shows goes to the form's
 * general error, so "请修改标红的项目" never comes with nothing red.
 */
import type { ApiFailure } from './api-result';

/** Server body path (or path prefix, e.g. "pickup") → the form field that shows it. */
export type FieldPaths = Readonly<Record<string, string>>;

export interface PlacedFieldErrors {
  /** Form field → the server's message ('' when the server named the field without one). */
  fields: Record<string, string>;
  /** Messages for paths no field of the form shows: "path: message". */
  unplaced: string[];
}

function fieldFor(path: string, paths: FieldPaths): string | undefined {
  if (paths[path]) return paths[path];
  // "pickup.address" lands on the field that shows "pickup" when no input shows the address itself.
  const parts = path.split('.');
  for (let n = parts.length - 1; n > 0; n--) {
    const found = paths[parts.slice(0, n).join('.')];
    if (found) return found;
  }
  return undefined;
}

export function placeFieldErrors(error: ApiFailure, paths: FieldPaths): PlacedFieldErrors {
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const [path, message] of Object.entries(error.fields)) {
    const field = fieldFor(path, paths);
    if (field) fields[field] = fields[field] ? `${fields[field]}; ${message}` : message;
    else unplaced.push(message ? `${path}: ${message}` : path);
  }
  return { fields, unplaced };
}

/** The server errors still to show after the person edits `changed`: that field's error goes. */
export function withoutField(fields: Record<string, string>, changed: readonly string[]): Record<string, string> {
  const out = { ...fields };
  for (const name of changed) delete out[name];
  return out;
}

/** The lot posting form (PostLotView): body paths of POST /api/lots → its inputs. */
export const LOT_FORM_PATHS: FieldPaths = {
  productCode: 'productCode',
  quantityGrams: 'quantity',
  harvestedAt: 'harvestedAt',
  expiresAt: 'harvestedAt',
  reservePriceFenPerKg: 'reserve',
  askPriceFenPerKg: 'ask',
  minTakeGrams: 'minTakeGrams',
};

/** The bid form on a lot page (LotView): body paths of POST /api/lots/:id/bids → its inputs. */
export const BID_FORM_PATHS: FieldPaths = {
  quantityGrams: 'quantity',
  priceFenPerKg: 'price',
  validUntil: 'valid',
};
