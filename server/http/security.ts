import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * helmet with a CSP for our own bundle: scripts, styles, fonts and images from our origin only (the
 * client uses a stylesheet, no inline styles or scripts); socket.io over ws(s) to our origin.
 */
export function securityHeaders(expectedOrigin: string): RequestHandler {
  const https = expectedOrigin.startsWith('https://');
  const socketOrigin = expectedOrigin.replace(/^http/, 'ws');
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", socketOrigin],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
}
