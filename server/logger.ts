import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** pino JSON logs; secrets are redacted wherever they might appear. `destination` defaults to stdout (tests pass their own). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
        '*.oneTimePassword',
        '*.secret',
        '*.passwordHash',
        '*.token',
        '*.sessionId',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
