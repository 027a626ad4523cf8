import pino, { type Logger } from 'pino';

export type { Logger };

/** pino JSON logs; secrets are redacted wherever they might appear. */
export function createLogger(level: string): Logger {
  return pino({
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
  });
}
