/**
 * What the market services need to know about whoever is acting, and how they answer.
 * `Trader` is structurally the accounts branch's `Principal` (shared/domain/permissions.ts):
 * routes pass `req.user.principal` straight in.
 */
import type { Request } from 'express';
import type { MarketEventType } from '../../../../shared/schemas/market';
import type { Failed } from '../../../outcome';
import { marketFail } from './market.failures';

import type { OrganisationKind } from '../../../../shared/schemas/accounts';

export interface Trader {
  userId: string;
  organisationId: string;
  kind: OrganisationKind;
  /** Chamber staff acting for `organisationId` (the On-Behalf-Of header); recorded on offer steps. */
  viaBroker?: boolean;
}

/** What the HTTP layer needs to resolve On-Behalf-Of (the accounts organisations repository fits). */
export type FindOrganisation = (
  id: string,
) => Promise<{ id: string; kind: OrganisationKind; verification: string } | null>;

/**
 * An organisation's display name (its registered name, as the organisations feature keeps it), or
 * undefined when unknown. Lots, offers and orders copy the parties' names when they are made.
 */
export type OrganisationName = (organisationId: string) => Promise<string | undefined>;
export const noNames: OrganisationName = async () => undefined;

/** Where an organisation is: its city and county ("吉安市新干县"), or undefined when unknown. Copied onto new lots. */
export type OrganisationRegion = (organisationId: string) => Promise<string | undefined>;
export const noRegions: OrganisationRegion = async () => undefined;

/** Where an organisation is (its profile location, lat/lng), or undefined when it has not said. */
export type OrganisationLocation = (organisationId: string) => Promise<{ lat: number; lng: number } | undefined>;
export const noLocations: OrganisationLocation = async () => undefined;

/** The parties' names as a record stores them; absent on records made before names were copied. */
export interface PartyNames {
  sellerName?: string;
  buyerName?: string;
}
/** The names `from` carries, without undefined keys (so a save does not write them). */
export const partyNames = (from: PartyNames): PartyNames => ({
  ...(from.sellerName ? { sellerName: from.sellerName } : {}),
  ...(from.buyerName ? { buyerName: from.buyerName } : {}),
});

/**
 * Whether an organisation may trade now (verified; not pending, rejected or suspended). The caller's own
 * organisation is checked by `requireVerified`; this is for the other side of a new offer or order.
 */
/** Whether the organisation is verified (and, when `kind` is given, of that kind): only then may it be a counterparty. */
export type IsTrading = (organisationId: string, kind?: 'farm' | 'restaurant') => Promise<boolean>;
export const everyoneTrades: IsTrading = async () => true;
export const counterpartyNotTrading = (side: 'farm' | 'restaurant'): Failed =>
  marketFail(
    'COUNTERPARTY_NOT_VERIFIED',
    `The ${side} on the other side is not verified (pending, rejected or suspended) and cannot trade`,
  );

export const forbidden = (message: string, field?: string): Failed => marketFail('FORBIDDEN', message, { field });
/** `field` names the input that pointed at the missing record (`lotId` in a body), when there is one. */
export const notFound = (what: string, field?: string): Failed =>
  marketFail('NOT_FOUND', `${what} not found`, { field });

/** The time source: services read the time only through it, so tests and sweeps can move it. ("Clock" is the clock sale.) */
export type Now = () => Date;

/** Where services announce what happened (socket rooms are wired by the realtime layer). */
export interface MarketEvent {
  type: MarketEventType;
  lotId?: string;
  offerId?: string;
  orderId?: string;
  buyerOrgId?: string;
  sellerOrgId?: string;
  productCode?: string;
  /** The lot's region, where the service has it at hand (the publisher looks it up otherwise). */
  region?: string;
  data: Record<string, unknown>;
}
export type Publish = (event: MarketEvent) => void;
export const publishNothing: Publish = () => undefined;

/** Resolves the trader of a request (see traderResolver in market.http.ts). */
export type TraderOf = (req: Request) => Promise<Trader>;
