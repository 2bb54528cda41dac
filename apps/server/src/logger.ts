import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

/**
 * Paths that could carry a secret are censored even if a future log call passes a
 * whole request or input object; the code itself never logs tokens, codes or passwords.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.confirmPassword',
  '*.token',
  '*.code',
  '*.otpCode',
  '*.tempToken',
  '*.challengeToken',
];

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
