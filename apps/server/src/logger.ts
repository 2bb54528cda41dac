import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.js';
import { currentRequestId, loggerCarriesRequestId } from './request-id.js';

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

type LoggerConfig = Pick<Config, 'logLevel'> & Partial<Pick<Config, 'logFormat' | 'env'>>;

/** `auto` means readable lines for a developer at a terminal, JSON for everything that collects logs. */
export function isPrettyLogging(config: LoggerConfig, isTerminal = process.stdout.isTTY === true): boolean {
  if (config.logFormat === 'pretty') return true;
  if (config.logFormat === 'json') return false;
  return config.env === 'development' && isTerminal;
}

const indentBlock = (value: unknown) =>
  `\n${String(value)
    .trimEnd()
    .split('\n')
    .map((line) => `      │ ${line}`)
    .join('\n')}`;

function prettyStream(colorize: boolean): pino.DestinationStream {
  return pretty({
    colorize,
    sync: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,reqId,req,res,responseTime',
    // One readable line per request event, prefixed with the request id.
    messageFormat: (log, messageKey) => {
      const prefix = typeof log.reqId === 'string' ? `[${log.reqId}] ` : '';
      const req = log.req as { method?: string; url?: string } | undefined;
      const res = log.res as { statusCode?: number } | undefined;
      const request = req?.method === undefined ? '' : ` ${req.method} ${req.url ?? ''}`;
      const outcome =
        res?.statusCode === undefined
          ? ''
          : ` → ${res.statusCode} in ${Math.round(Number(log.responseTime ?? 0))} ms`;
      return `${prefix}${String(log[messageKey] ?? '')}${request}${outcome}`;
    },
    // A mail or SMS printed by the log transports reads as the message itself, code included.
    customPrettifiers: { text: indentBlock, body: indentBlock },
  });
}

export function createLogger(config: LoggerConfig, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Lines written below a route by code holding only this logger still name their request.
    mixin: (_merge, _level, logger) => {
      if (loggerCarriesRequestId(logger as Logger)) return {};
      const reqId = currentRequestId();
      return reqId === undefined ? {} : { reqId };
    },
  };
  if (destination !== undefined) return pino(options, destination);
  return isPrettyLogging(config) ? pino(options, prettyStream(process.stdout.isTTY === true)) : pino(options);
}
