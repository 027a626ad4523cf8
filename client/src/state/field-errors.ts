/**
 * Server field errors placed at the form's fields. The server names body paths
 * (`{ error: { fields: { quantityGrams: "…" } } }`); a form names its inputs (`quantity`).
 * Each form lists which input shows which path; a path no input shows goes to the form's
 * general error, so "请修改标红的项目" never comes with nothing red.
 */
import type { FieldIssue } from '../../../shared/failures';
import { translate, type Locale, type MessageKey } from '../i18n';
import type { ApiFailure } from './api-result';
import { moneyText, priceText, weightText, type DisplayUnit } from './market-format';
import { msg, type Message } from './message';

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

/**
 * Places the server's field errors; `word` (see `fieldWords`) says each one in the person's language,
 * otherwise the server's own (English) message is shown.
 */
export function placeFieldErrors(
  error: ApiFailure,
  paths: FieldPaths,
  word: (path: string, serverMessage: string) => string = (_path, serverMessage) => serverMessage,
): PlacedFieldErrors {
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const [path, serverMessage] of Object.entries(error.fields)) {
    const message = word(path, serverMessage);
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

/** Body paths of POST /api/lots/:id/clock → the inputs of the clock setup (ClockSetup). */
export const CLOCK_FORM_PATHS: FieldPaths = {
  startPriceFenPerKg: 'start',
  floorPriceFenPerKg: 'start',
  floorHoursBeforeExpiry: 'hours',
};

/** Body paths of an accept (POST /api/offers/:id/accept) and a counter (…/counter) → an offer row's inputs (OfferRow). */
export const OFFER_ROW_PATHS: FieldPaths = { quantityGrams: 'quantity', priceFenPerKg: 'price' };

/** Body paths of confirm-proposal and decline → a proposed order's inputs (ProposedOrder; named as the paths). */
export const PROPOSAL_PATHS: FieldPaths = { lotId: 'lotId', quantityGrams: 'quantityGrams', reason: 'reason' };

/**
 * Body paths of an order's actions (POST /api/orders/:id/deliver, …/cancel, …/dispute) → an order card's inputs
 * (OrdersView): the delivered quantity, the cancel reason, the dispute note.
 */
export const ORDER_ACTION_PATHS: FieldPaths = { deliveredGrams: 'received', reason: 'reason', note: 'note' };

/** Body paths of POST /api/campaigns → the new-campaign form's inputs (CampaignList). */
export const CAMPAIGN_FORM_PATHS: FieldPaths = {
  name: 'name',
  startsAt: 'startsAt',
  endsAt: 'endsAt',
  productCodes: 'productCodes',
  villages: 'villages',
  targetValueFen: 'targetYuan',
  targetGrams: 'targetKg',
};

// ---------------------------------------------------------------- the server's field issues in our words

/** How limits are shown: the person's language and weight unit (prices follow: 斤 → 元/斤, else 元/公斤). */
export interface IssueUnits {
  locale: Locale;
  unit: DisplayUnit;
}

const DEFAULT_UNITS: IssueUnits = { locale: 'zh-CN', unit: 'jin' };

/** What a path measures, from the API's naming rule: prices say `FenPerKg`, weights `grams` (`gramsPerOccurrence`), money ends in `Fen`. */
function limitText(path: string, value: number, units: IssueUnits): string {
  const last = path.split('.').pop() ?? path;
  if (/fenPerKg/i.test(last)) return priceText(value, units.locale, units.unit);
  if (/grams/i.test(last)) return weightText(value, units.locale, units.unit);
  if (/Fen$/.test(last)) return moneyText(value, units.locale);
  return new Intl.NumberFormat(units.locale).format(value);
}

/**
 * One server field issue in the person's language, its limit in their units: a 10,000 t lot says
 * "不能超过 2,000,000,000斤" / "Must be at most 2,000,000,000 jin", a long note "最多 500 个字".
 */
export function issueMessage(path: string, issue: FieldIssue, units: IssueUnits = DEFAULT_UNITS): Message {
  const limit = issue.code === 'too_big' ? issue.maximum : issue.code === 'too_small' ? issue.minimum : undefined;
  if ((issue.code === 'too_big' || issue.code === 'too_small') && limit !== undefined) {
    const big = issue.code === 'too_big';
    if (issue.origin === 'string')
      return msg(big ? 'fieldIssue.tooLong' : limit <= 1 ? 'fieldIssue.required' : 'fieldIssue.tooShort', { n: limit });
    if (issue.origin === 'array' || issue.origin === 'set')
      return msg(big ? 'fieldIssue.tooMany' : 'fieldIssue.tooFew', { n: limit });
    const text = limitText(path, limit, units);
    if (issue.inclusive === false) return msg(big ? 'fieldIssue.lessThan' : 'fieldIssue.moreThan', { limit: text });
    return msg(big ? 'fieldIssue.atMost' : 'fieldIssue.atLeast', { limit: text });
  }
  switch (issue.code) {
    case 'required':
      return msg('fieldIssue.required');
    case 'not_integer':
      return msg('fieldIssue.notInteger');
    case 'invalid_type':
      return msg(issue.expected === 'number' ? 'fieldIssue.number' : 'fieldIssue.invalidType');
    case 'invalid_format':
      return msg(issue.format === 'email' ? 'fieldIssue.email' : 'fieldIssue.format');
    case 'invalid_value':
      return msg('fieldIssue.value');
    default:
      return msg('fieldIssue.invalid');
  }
}

// ---------------------------------------------------------------- rules the server states in English

/**
 * Cross-field rules of the shared schemas (a zod refine: `invalid` with an English message) and rules the
 * server states in English beside another code, by their exact message (the message is part of the shared
 * schema or domain rule, so it is stable): each has our own words.
 */
const RULE_MESSAGES: Readonly<Record<string, MessageKey>> = {
  'must be after startsAt': 'rule.endAfterStart',
  'endsAt must be after startsAt': 'rule.endAfterStart',
  'A period is at most a year': 'rule.periodAtMostYear',
  'name a farm or a village': 'rule.farmOrVillage',
  'Name a farm or a village to pair with': 'rule.farmOrVillage',
  'lat and lng go together': 'rule.latLngTogether',
  'from must not be after to': 'rule.fromNotAfterTo',
  'must not be after to': 'rule.fromNotAfterTo',
  'a counter changes at least one of quantityGrams, priceFenPerKg, validUntil': 'rule.counterChangesSomething',
  'weekdays repeat': 'rule.weekdaysRepeat',
  'change at least one field': 'rule.changeSomething',
  'Nothing to change': 'rule.changeSomething',
  'The slot must end after it starts': 'rule.slotEndAfterStart',
  'A delivery slot spans one day at most': 'rule.slotOneDay',
  'Give a mobile number or an email': 'validation.contact',
};

/** Rule failures (422, one code each) that name a field with an English message: our words by the code. */
const RULE_CODES: Readonly<Record<string, MessageKey>> = {
  ASK_BELOW_RESERVE: 'rule.askBelowReserve',
  PRICE_BELOW_RESERVE: 'rule.priceBelowReserve',
  START_NOT_ABOVE_FLOOR: 'rule.startAboveFloor',
  FLOOR_BELOW_RESERVE: 'rule.floorBelowReserve',
  NO_TIME_TO_FALL: 'rule.noTimeToFall',
  WINDOW_ENDS_BEFORE_START: 'rule.windowEndsBeforeStart',
  NEEDED_BY_IN_PAST: 'rule.neededByInPast',
  LOT_EXPIRES_BEFORE_NEEDED: 'rule.lotExpiresBeforeNeeded',
  END_BEFORE_START: 'rule.endBeforeStart',
  INVALID_PERIOD: 'rule.endAfterStart',
  INVALID_TOLERANCE: 'rule.tolerance',
  EXPIRY_NOT_AFTER_HARVEST: 'rule.expiryAfterHarvest',
  EXPIRY_BEYOND_SHELF_LIFE: 'rule.expiryBeyondShelfLife',
  HARVESTED_IN_FUTURE: 'rule.harvestedInFuture',
  VALID_UNTIL_NOT_IN_FUTURE: 'rule.validUntilInFuture',
  NO_COUNTERPART: 'rule.farmOrVillage',
  BELOW_MIN_TAKE: 'rule.belowMinTake',
  NOT_ENOUGH_LEFT: 'rule.notEnoughLeft',
  QUANTITY_EXCEEDS_REMAINING: 'rule.exceedsDemand',
  ACCEPT_EXCEEDS_OFFER: 'rule.exceedsOffer',
  BELOW_SOLD: 'rule.belowSold',
  WRONG_PRODUCT: 'rule.wrongProduct',
  LOT_NOT_OPEN: 'rule.lotNotOpen',
  LOT_EXPIRED: 'rule.lotExpired',
  NOT_FROM_LOT: 'rule.notYourLot',
  REASON_REQUIRED: 'rule.reasonRequired',
  INVALID_ADDRESS: 'rule.address',
  INVALID_SLOT: 'rule.slotEndAfterStart',
};

/** "at most 366 days" (a desk report's range, shared/schemas/desk.ts): the number kept. */
const AT_MOST_DAYS = /^at most (\d+) days$/;

/** Our words for a rule the server states in English at `path`, when we know the rule. */
function ruleMessage(error: ApiFailure, path: string): Message | null {
  const text = error.fields[path] ?? '';
  const byText = RULE_MESSAGES[text];
  if (byText) return msg(byText);
  const days = AT_MOST_DAYS.exec(text);
  if (days) return msg('rule.atMostDays', { n: Number(days[1]) });
  const issue = error.fieldIssues?.[path];
  // A 422 rule failure names its field without a machine-readable issue: its code says which rule.
  const byCode = issue ? undefined : RULE_CODES[error.code];
  return byCode ? msg(byCode) : null;
}

/**
 * The message for one refused path: a rule we know in our own words (cross-field or a 422 rule, which the
 * server states in English), else the server's issue (worded at render, its limit in `unit`), else its own
 * message, else a generic "this value is not accepted" (the field is red either way).
 */
export function serverFieldMessage(error: ApiFailure, path: string, unit?: DisplayUnit): Message {
  const issue = error.fieldIssues?.[path];
  const text = error.fields[path];
  if (!issue || issue.code === 'invalid') {
    const rule = ruleMessage(error, path);
    if (rule) return rule;
  }
  // A cross-field rule we do not know yet ("must be after startsAt") says more in its own words than "not accepted".
  if (issue && !(issue.code === 'invalid' && text)) return { issue, path, ...(unit ? { unit } : {}) };
  return text ? { text } : msg('fieldIssue.invalid');
}

/** Every refused path → its message (for stores and forms keyed by the API's paths). */
export function serverFieldMessages(error: ApiFailure, unit?: DisplayUnit): Record<string, Message> {
  const out: Record<string, Message> = {};
  for (const path of Object.keys(error.fields)) out[path] = serverFieldMessage(error, path, unit);
  for (const path of Object.keys(error.fieldIssues ?? {})) out[path] ??= serverFieldMessage(error, path, unit);
  return out;
}

/** A Message in `locale`: what the app's `say` does. */
export function renderMessage(locale: Locale, m: Message): string {
  if ('text' in m) return m.text;
  if ('issue' in m) {
    const worded = issueMessage(m.path, m.issue, { locale, unit: m.unit ?? DEFAULT_UNITS.unit });
    return renderMessage(locale, worded);
  }
  return translate(locale, m.key, m.params);
}

/** `placeFieldErrors`' wording for a view: each path in the person's language (`say` renders a Message). */
export const fieldWords =
  (error: ApiFailure, say: (m: Message) => string, unit?: DisplayUnit) =>
  (path: string): string =>
    say(serverFieldMessage(error, path, unit));
