/** Persisted notifications (docs/notifications-openapi.md) and the document itself. */
import {
  listNotificationsQuery,
  markNotificationsReadBody,
  markNotificationsReadResponseSchema,
  markReadUpToBody,
  notificationCentreQuery,
  notificationCentreResponseSchema,
  notificationsResponseSchema,
  unreadCountSchema,
} from '../../../shared/schemas/notifications';
import type { RouteRegistry } from './types';

export const notificationsRoutesDoc: RouteRegistry = {
  'GET /api/notifications': {
    summary: 'What my organisation (channel org) or I (channel user) were sent after a seq, oldest first',
    tag: 'notifications',
    roles: ['signed-in'],
    query: listNotificationsQuery,
    ok: {
      status: 200,
      description: 'A page of notifications, the channel’s latest seq and my read marker',
      schema: notificationsResponseSchema,
    },
    errors: [403],
  },
  'POST /api/notifications/read': {
    summary:
      'Move my read marker on a channel forward (never back, never past the latest seq); my other tabs get notifications:read',
    tag: 'notifications',
    roles: ['signed-in'],
    body: markNotificationsReadBody,
    ok: { status: 200, description: 'The marker now', schema: markNotificationsReadResponseSchema },
    errors: [403],
  },
  'GET /api/notifications/centre': {
    summary: 'My notification centre: both channels, newest first, keyset-paged, each marked read or unread',
    tag: 'notifications',
    roles: ['signed-in'],
    query: notificationCentreQuery,
    ok: {
      status: 200,
      description: '{items, nextCursor} and my unread count',
      schema: notificationCentreResponseSchema,
    },
    errors: [403],
  },
  'GET /api/notifications/unread': {
    summary: 'How many of my notifications are unread (both channels, counted up to 100)',
    tag: 'notifications',
    roles: ['signed-in'],
    ok: { status: 200, description: 'The unread count', schema: unreadCountSchema },
    errors: [403],
  },
  'POST /api/notifications/read-up-to': {
    summary:
      'Mark read everything I was sent up to an instant (both channels; never back); my other tabs get notifications:read',
    tag: 'notifications',
    roles: ['signed-in'],
    body: markReadUpToBody,
    ok: { status: 200, description: 'The unread count now', schema: unreadCountSchema },
    errors: [403],
  },
};

export const openApiRoutesDoc: RouteRegistry = {
  'GET /api/openapi.json': {
    summary: 'This document (OpenAPI 3.1), generated from the schemas the routes validate with',
    tag: 'meta',
    roles: ['anyone'],
    auth: 'none',
    ok: { status: 200, description: 'The OpenAPI document' },
  },
};
