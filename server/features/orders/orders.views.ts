import type { OrderRecord } from './orders.repository';

/** What clients see of an order: the protocol's internals (key, version) stay inside. */
export function orderView(order: OrderRecord) {
  const { key: _key, version: _version, failedReason: _failed, idempotencyKey: _idem, ...view } = order;
  return view;
}
export type OrderView = ReturnType<typeof orderView>;
