/** Lots, bids/offers, orders, demand, standing orders, capacity (docs/market.md). */
import { z } from 'zod';
import {
  acceptOfferBody,
  acceptStandingOrderBody,
  cancelStandingOrderBody,
  declineStandingOrderBody,
  listStandingOrdersQuery,
  cancelOrderBody,
  capacityBody,
  capacityQuery,
  clockSetupBody,
  editLotBody,
  clockTakeBody,
  completeOrderBody,
  counterOfferBody,
  createBidBody,
  createDemandBody,
  createLotBody,
  createSellOfferBody,
  createStandingOrderBody,
  deliverOrderBody,
  dispatchOrderBody,
  disputeOrderBody,
  editOrderDeliveryBody,
  confirmProposalBody,
  declineOrderBody,
  idempotencyKey,
  listDemandQuery,
  listFarmsQuery,
  listLotsQuery,
  listOffersQuery,
  listOrdersQuery,
  marketOutlookQuery,
  occurrencesQuery,
  outlookQuery,
  rejectOfferBody,
  withdrawBody,
} from '../../../shared/schemas/market';
import {
  acceptResult,
  catalogue,
  demandList,
  demandSchema,
  farmCapacitySchema,
  farmListingList,
  lotList,
  lotSchema,
  marketOutlookSchema,
  occurrenceList,
  offerList,
  offerSchema,
  orderList,
  orderSchema,
  outlook,
  standingOrderList,
  standingOrderSchema,
  takeResult,
} from '../../../shared/schemas/market-views';
import { outcomesBody, outcomesResponseSchema } from '../../../shared/schemas/outcomes';
import type { HeaderDoc, Role, RouteDoc, RouteRegistry } from './types';

const idempotency: HeaderDoc = {
  name: 'Idempotency-Key',
  description: 'Recommended: a retry with the same key returns the first result instead of acting twice.',
  schema: idempotencyKey,
};
const onBehalfOf: HeaderDoc = {
  name: 'On-Behalf-Of',
  description: 'Chamber staff only: the id of the verified farm or restaurant they act for (recorded viaBroker).',
  schema: z.string().regex(/^[0-9a-f]{24}$/),
};

/** A success response: what it is, in words and as the response schema (shared/schemas/market-views.ts). */
type Answer = readonly [description: string, schema: z.ZodType];

const read = (
  summary: string,
  tag: string,
  [description, schema]: Answer,
  extra: Partial<RouteDoc> = {},
): RouteDoc => ({
  summary,
  tag,
  roles: ['signed-in'],
  ok: { status: 200, description, schema },
  errors: [403],
  ...extra,
});
/** A state change: verified organisation, trader resolved from the session (or On-Behalf-Of). */
const trade = (
  summary: string,
  tag: string,
  roles: readonly Role[],
  status: number,
  [description, schema]: Answer,
  extra: Partial<RouteDoc> = {},
): RouteDoc => ({
  summary,
  tag,
  roles: [...roles, 'verified'],
  headers: [onBehalfOf],
  ok: { status, description, schema },
  errors: [403, 404, 409, 422],
  ...extra,
});

/** Bids and offers are one resource under two names. */
function offerRoutes(base: '/api/bids' | '/api/offers'): RouteRegistry {
  return {
    [`GET ${base}/:id`]: read(
      'One offer (bid or sell offer) of mine, with its history',
      'offers',
      ['Offer', offerSchema],
      { errors: [403, 404] },
    ),
    [`POST ${base}/:id/accept`]: trade(
      'Accept all or part of an offer: the order is reserved against the lot',
      'offers',
      ['party'],
      200,
      ['{order, offer, lot} (the lot after the order took its stock)', acceptResult],
      {
        body: acceptOfferBody,
        headers: [idempotency, onBehalfOf],
        errors: [403, 404, 409, 422, 503],
      },
    ),
    [`POST ${base}/:id/counter`]: trade(
      'Counter with new terms (the side whose turn it is)',
      'offers',
      ['party'],
      200,
      ['Offer', offerSchema],
      { body: counterOfferBody },
    ),
    [`POST ${base}/:id/reject`]: trade(
      'Reject, with a reason (the side whose turn it is)',
      'offers',
      ['party'],
      200,
      ['Offer', offerSchema],
      { body: rejectOfferBody },
    ),
    [`POST ${base}/:id/withdraw`]: trade(
      'Withdraw terms I put on the table',
      'offers',
      ['party'],
      200,
      ['Offer', offerSchema],
      { body: withdrawBody },
    ),
  };
}

const orderStep = (summary: string, body: z.ZodType, roles: readonly Role[] = ['party']) =>
  trade(summary, 'orders', roles, 200, ['Order', orderSchema], { body });

export const marketRoutesDoc: RouteRegistry = {
  'GET /api/catalogue': {
    summary: 'The twenty products: names, category, quoting unit, shelf life cold and ambient',
    tag: 'market',
    roles: ['anyone'],
    auth: 'none',
    ok: { status: 200, description: '{items: Product[]}', schema: catalogue },
  },
  'POST /api/lots': trade('Post a lot of produce with its spoilage window', 'lots', ['farm'], 201, ['Lot', lotSchema], {
    body: createLotBody,
    headers: [idempotency, onBehalfOf], // a replay answers 200 with the key's lot (docs/offline.md)
    errors: [403, 422],
  }),
  'POST /api/outcomes': {
    summary: "What became of my organisation's actions sent with an Idempotency-Key (done, failed or unknown)",
    tag: 'lots',
    roles: ['signed-in'],
    headers: [onBehalfOf],
    body: outcomesBody,
    ok: {
      status: 200,
      description: '{items: one outcome per key, in the order asked}',
      schema: outcomesResponseSchema,
    },
    errors: [400, 403],
  },
  'GET /api/lots': read(
    'Lots, a page at a time: soonest expiry first, or by price or distance; $text search',
    'lots',
    ['{items: Lot[], nextCursor}', lotList],
    {
      query: listLotsQuery,
      errors: [],
    },
  ),
  'GET /api/lots/:id': read('One lot', 'lots', ['Lot', lotSchema], { errors: [404] }),
  'POST /api/lots/:id/withdraw': trade('Withdraw my lot (confirmed orders stand)', 'lots', ['farm'], 200, [
    'Lot',
    lotSchema,
  ]),
  'POST /api/lots/:id/clock': trade(
    'Start a clock sale (Dutch auction) on my lot',
    'lots',
    ['farm'],
    200,
    ['Lot with clock', lotSchema],
    { body: clockSetupBody },
  ),
  'PATCH /api/lots/:id': trade(
    'Edit my open lot: prices, minimum take, total (down only)',
    'lots',
    ['farm'],
    200,
    ['Lot', lotSchema],
    { body: editLotBody, errors: [400, 403, 404, 409, 422] },
  ),
  'POST /api/lots/:id/clock/stop': trade('Stop the clock sale on my lot', 'lots', ['farm'], 200, ['Lot', lotSchema], {
    errors: [403, 404, 409],
  }),
  'POST /api/lots/:id/photos': trade(
    'Add a photo to my lot (raw JPEG/PNG/WebP body, ≤ 1.5 MB, at most 4 per lot)',
    'lots',
    ['farm'],
    201,
    ['{photoId, lot}', z.strictObject({ photoId: z.string(), lot: lotSchema })],
    { errors: [400, 403, 404, 409] },
  ),
  'PUT /api/lots/:id/photos/:photoId/thumb': trade(
    'Store the photo’s thumbnail (raw image body, ≤ 150 kB)',
    'lots',
    ['farm'],
    200,
    ['Lot', lotSchema],
    { errors: [400, 403, 404] },
  ),
  'DELETE /api/lots/:id/photos/:photoId': trade('Delete a photo of my lot', 'lots', ['farm'], 200, ['Lot', lotSchema], {
    errors: [403, 404],
  }),
  'GET /api/lots/:id/photos/:photoId': read(
    'A lot photo (image bytes; immutable caching, ETag)',
    'lots',
    ['image bytes', z.string()],
    { errors: [404] },
  ),
  'GET /api/lots/:id/photos/:photoId/thumb': read(
    'A lot photo’s thumbnail (image bytes; immutable caching, ETag)',
    'lots',
    ['image bytes', z.string()],
    { errors: [404] },
  ),
  'POST /api/lots/:id/clock/take': trade(
    'Take stock at the clock’s current price',
    'lots',
    ['restaurant'],
    201,
    ['{order, lot} (200 with the same order on a replay of the key)', takeResult],
    {
      body: clockTakeBody,
      headers: [idempotency, onBehalfOf],
      errors: [403, 404, 409, 422, 503],
    },
  ),
  'POST /api/lots/:id/bids': trade(
    'Bid on a lot',
    'offers',
    ['restaurant'],
    201,
    ['Offer (status open, the farm’s turn; 200 with the same offer on a replay of the key)', offerSchema],
    {
      body: createBidBody,
      headers: [idempotency, onBehalfOf],
    },
  ),
  'GET /api/offers': read(
    'Offers where my organisation is buyer or seller',
    'offers',
    ['{items: Offer[], nextCursor}', offerList],
    { query: listOffersQuery, errors: [] },
  ),
  ...offerRoutes('/api/bids'),
  ...offerRoutes('/api/offers'),
  'GET /api/orders': read(
    'My organisation’s orders, a page at a time',
    'orders',
    ['{items: Order[], nextCursor}', orderList],
    {
      query: listOrdersQuery,
      errors: [],
    },
  ),
  'GET /api/orders/:id': read(
    'One order with both parties’ phones (buyer, seller or chamber)',
    'orders',
    ['Order', orderSchema],
    { errors: [403, 404] },
  ),
  'POST /api/orders/:id/dispatch': orderStep('Mark dispatched (the seller)', dispatchOrderBody, ['farm', 'party']),
  'POST /api/orders/:id/deliver': orderStep(
    'Record delivery; the total is re-billed on what arrived',
    deliverOrderBody,
  ),
  'POST /api/orders/:id/complete': orderStep('Complete a delivered order (the buyer)', completeOrderBody, [
    'restaurant',
    'party',
  ]),
  'POST /api/orders/:id/cancel': orderStep(
    'Cancel before dispatch, with a reason; stock goes back to the lot',
    cancelOrderBody,
  ),
  'POST /api/orders/:id/dispute': orderStep('Dispute within 24 h of delivery (the buyer)', disputeOrderBody, [
    'restaurant',
    'party',
  ]),
  // orders (issue 12)
  'POST /api/orders/:id/delivery': orderStep(
    'Change the delivery or pickup address and the slot, until dispatch (either party)',
    editOrderDeliveryBody,
  ),
  'POST /api/orders/:id/confirm-proposal': orderStep(
    'Confirm a standing order’s proposed order from one of my lots (the farm; base up to the tolerance)',
    confirmProposalBody,
    ['farm', 'party'],
  ),
  'POST /api/orders/:id/decline': orderStep('Decline a proposed order, with a reason (the farm)', declineOrderBody, [
    'farm',
    'party',
  ]),
  'POST /api/demand': trade(
    'Post demand: what a restaurant needs, by when, at most at what price',
    'demand',
    ['restaurant'],
    201,
    ['Demand', demandSchema],
    {
      body: createDemandBody,
      errors: [403, 422],
    },
  ),
  'GET /api/demand': read(
    'Open demand still ahead, soonest needed first (or mine, with mine=true: newest posted first), a page at a time',
    'demand',
    ['{items: Demand[], nextCursor}', demandList],
    { query: listDemandQuery, errors: [] },
  ),
  'POST /api/demand/:id/withdraw': trade(
    'Withdraw my demand',
    'demand',
    ['restaurant'],
    200,
    ['Demand', demandSchema],
    { body: withdrawBody },
  ),
  'POST /api/demand/:id/offers': trade(
    'Offer (part of) a lot to a demand',
    'demand',
    ['farm'],
    201,
    ['Offer (sell offer, the restaurant’s turn; 200 with the same offer on a replay of the key)', offerSchema],
    {
      body: createSellOfferBody,
      headers: [idempotency, onBehalfOf],
    },
  ),
  'POST /api/standing-orders': trade(
    'Create a standing order (every week on given days)',
    'demand',
    ['restaurant'],
    201,
    ['StandingOrder', standingOrderSchema],
    {
      body: createStandingOrderBody,
      errors: [403, 422],
    },
  ),
  'GET /api/standing-orders': read(
    'Standing orders my organisation placed or that name my farm (with buyerName, sellerName), newest first, a page at a time. Chamber staff: every organisation’s, or `orgId`’s; anyone else naming another orgId: 403',
    'demand',
    ['{items: StandingOrder[], nextCursor}', standingOrderList],
    { query: listStandingOrdersQuery, errors: [400, 403] },
  ),
  'GET /api/standing-orders/:id/occurrences': read(
    'Dated occurrences of a standing order in from..from+days-1, by date, a page at a time',
    'demand',
    ['{items: Occurrence[], nextCursor}', occurrenceList],
    {
      query: occurrencesQuery,
      errors: [403, 404],
    },
  ),
  'POST /api/standing-orders/:id/accept': trade(
    'The named farm accepts a proposed standing order (→ active)',
    'demand',
    ['farm', 'party'],
    200,
    ['StandingOrder', standingOrderSchema],
    {
      body: acceptStandingOrderBody,
    },
  ),
  'POST /api/standing-orders/:id/decline': trade(
    'The named farm declines a proposed standing order, with a reason (→ declined)',
    'demand',
    ['farm', 'party'],
    200,
    ['StandingOrder', standingOrderSchema],
    {
      body: declineStandingOrderBody,
    },
  ),
  'POST /api/standing-orders/:id/cancel': trade(
    'The restaurant cancels a proposed or active standing order; the farm ends an active one with a reason (→ cancelled)',
    'demand',
    ['party'],
    200,
    ['StandingOrder', standingOrderSchema],
    { body: cancelStandingOrderBody },
  ),
  'GET /api/farms': read(
    'Verified farms a restaurant can name in a standing order, in the order they joined, a page at a time',
    'demand',
    ['{items: FarmListing[], nextCursor}', farmListingList],
    { query: listFarmsQuery, errors: [] },
  ),
  'PUT /api/capacity': trade(
    'Set my farm’s production, cold store and dispatch capacity',
    'capacity',
    ['farm'],
    200,
    ['Capacity', farmCapacitySchema],
    {
      body: capacityBody,
      errors: [403, 422],
    },
  ),
  'GET /api/capacity': read(
    'My farm’s capacity; chamber staff read any farm’s with `orgId` (anyone else naming another orgId: 403)',
    'capacity',
    ['Capacity', farmCapacitySchema],
    {
      query: capacityQuery,
      errors: [400, 403, 404],
    },
  ),
  'GET /api/capacity/outlook': read(
    'Expected production minus committed sales per day; chamber staff read any farm’s with `orgId` (anyone else naming another orgId: 403)',
    'capacity',
    ['{days: OutlookDay[]}', outlook],
    { query: outlookQuery, errors: [400, 403, 404] },
  ),
  'GET /api/capacity/market-outlook': read(
    'Chamber staff: every farm’s outlook summed per day (lines per product), and each farm’s day totals',
    'capacity',
    ['{days: OutlookDay[], farms}', marketOutlookSchema],
    {
      roles: ['chamber-staff'],
      query: marketOutlookQuery,
      errors: [400, 403],
    },
  ),
};
