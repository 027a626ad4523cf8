/**
 * Changing an order's delivery before dispatch (POST /api/orders/:id/delivery): the form as a person fills it
 * in (Shanghai day and times), read into the request body — or problems named per input — and where the
 * server's refusals show. DOM-free: tests/client/delivery-edit.test.ts drives it in Node.
 */
import { isCalendarDate, SHANGHAI_OFFSET_MS, shanghaiDate, shanghaiInstant } from '../../../shared/domain/calendar';
import type { FieldPaths } from './field-errors';
import type { Order } from './market-types';
import { msg, type Message } from './message';

const DELIVERY_ADDRESS_MAX = 200;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export interface DeliveryEditInput {
  mode: 'delivery' | 'pickup';
  address: string;
  /** Shanghai calendar day of the slot, YYYY-MM-DD; empty with both times: the slot stays as it is. */
  date: string;
  from: string;
  to: string;
}

interface DeliveryEditBody {
  mode: 'delivery' | 'pickup';
  address: string;
  slot?: { from: string; to: string };
}

export type DeliveryEditRead = { ok: true; body: DeliveryEditBody } | { ok: false; fields: Record<string, Message> };

/** Body paths of POST /api/orders/:id/delivery → the inputs of the form ("slot" alone: the end, where the span shows). */
export const DELIVERY_EDIT_PATHS: FieldPaths = {
  mode: 'mode',
  address: 'address',
  'slot.from': 'from',
  'slot.to': 'to',
  slot: 'to',
};

/** Until dispatch either party may change where and when; afterwards the details are fixed. */
export const canEditDelivery = (order: Pick<Order, 'status'>, role: string | null): boolean =>
  (order.status === 'confirmed' || order.status === 'proposed') && (role === 'farm' || role === 'restaurant');

const shanghaiClock = (iso: string): string =>
  new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);

/** The form filled with the order's current delivery, in Shanghai time. */
export function deliveryEditInput(order: Pick<Order, 'delivery' | 'slot'>): DeliveryEditInput {
  return {
    mode: order.delivery?.mode ?? 'delivery',
    address: order.delivery?.address ?? '',
    date: order.slot ? shanghaiDate(new Date(order.slot.from)) : '',
    from: order.slot ? shanghaiClock(order.slot.from) : '',
    to: order.slot ? shanghaiClock(order.slot.to) : '',
  };
}

/** The form as a request body; a slot ending at or before its start, or none of the day's times, is named. */
export function readDeliveryEdit(input: DeliveryEditInput): DeliveryEditRead {
  const fields: Record<string, Message> = {};
  const address = input.address.trim();
  if (address === '') fields.address = msg('market.deliveryEdit.error.address');
  else if (address.length > DELIVERY_ADDRESS_MAX)
    fields.address = msg('fieldIssue.tooLong', { n: DELIVERY_ADDRESS_MAX });
  const anySlot = input.date.trim() !== '' || input.from.trim() !== '' || input.to.trim() !== '';
  let slot: DeliveryEditBody['slot'];
  if (anySlot) {
    if (!isCalendarDate(input.date)) fields.date = msg('market.demand.error.date');
    if (!TIME.test(input.from)) fields.from = msg('market.error.time');
    if (!TIME.test(input.to)) fields.to = msg('market.error.time');
    if (!fields.date && !fields.from && !fields.to) {
      const from = shanghaiInstant(input.date, input.from);
      const to = shanghaiInstant(input.date, input.to);
      // One Shanghai day: the slot spans less than a day, as the server requires.
      if (to.getTime() <= from.getTime()) fields.to = msg('market.deliveryEdit.error.slotOrder');
      else slot = { from: from.toISOString(), to: to.toISOString() };
    }
  }
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  return { ok: true, body: { mode: input.mode, address, ...(slot ? { slot } : {}) } };
}
