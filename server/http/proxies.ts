/**
 * Behind a proxy (issue 11). TRUST_PROXY says which hops may tell us the client's address and protocol
 * (X-Forwarded-For / -Proto); with the wrong setting an https site sees plain http, and express-session
 * silently refuses to set its Secure cookie: sign-in answers 200 and the user is not signed in. We cannot
 * fix a wrong setting, but we can say so, once, in the log.
 */
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

export function insecureProxyWarning(options: {
  publicUrl: string | undefined;
  trustProxy: unknown;
  logger: Pick<Logger, 'warn'>;
}): RequestHandler {
  const https = options.publicUrl?.startsWith('https://') ?? false;
  let warned = false;
  return (req, _res, next) => {
    // Probes and scrapers talk to the process directly, over http, by design.
    if (https && !warned && req.protocol === 'http' && !PROBES.has(req.path)) {
      warned = true;
      options.logger.warn(
        {
          publicUrl: options.publicUrl,
          trustProxy: options.trustProxy,
          remoteAddress: req.socket.remoteAddress,
          forwardedProto: req.headers['x-forwarded-proto'] ?? null,
        },
        'PUBLIC_URL is https but this request arrived as plain http without a trusted proxy saying otherwise: ' +
          'the Secure session cookie will not be set and sign-in will not stick. Set TRUST_PROXY to the address ' +
          'of your https proxy (e.g. TRUST_PROXY=10.0.0.5, or the number of proxy hops) and make it send ' +
          'X-Forwarded-Proto (see README, "Behind nginx").',
      );
    }
    next();
  };
}
