import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * What the tests use instead of an inbox and a phone (`useTestServer({ mail, sms })`): a real SMTP server and an
 * HTTP SMS webhook sink, both in-process on free ports, collecting messages by recipient.
 * The server under test talks to them over the wire exactly as it would in production.
 */

export interface CaughtMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  readonly to: string[];
  readonly subject: string;
  /** The decoded text/plain part. */
  readonly text: string;
  /** The decoded text/html part ('' when there is none). */
  readonly html: string;
  readonly raw: string;
}

export interface CaughtSms {
  readonly to: string;
  readonly body: string;
}

/** A code stands alone: no digit (or decimal point) right before it, no digit right after. */
const CODE_PATTERN = /(?<![\d.])\d{6}(?!\d)/g;

function codesIn(text: string): string[] {
  return text.match(CODE_PATTERN) ?? [];
}

/** Every collected code, for the log-hygiene checks: a code the tests never read must not leak either. */
function collectCodes(texts: Iterable<string>): Set<string> {
  const codes = new Set<string>();
  for (const text of texts) for (const code of codesIn(text)) codes.add(code);
  return codes;
}

function latestCode(texts: string[], what: string): string {
  for (let i = texts.length - 1; i >= 0; i--) {
    const [code] = codesIn(texts[i]!);
    if (code !== undefined) return code;
  }
  throw new Error(`no 6-digit code was sent to ${what}`);
}

// --- SMTP -------------------------------------------------------------------------------

export interface MailCatcher {
  /** `smtp://127.0.0.1:<port>`, for the server's SMTP_URL. */
  readonly smtpUrl: string;
  /** Every message, in arrival order. */
  readonly messages: readonly CaughtMail[];
  /** Messages whose envelope includes `address` (case-insensitive), oldest first. */
  messagesTo(address: string): CaughtMail[];
  /** The 6-digit code of the newest message to `address` that carries one; throws when none did. */
  latestCodeTo(address: string): string;
  /** Every 6-digit code mailed so far, to anyone. */
  codesSent(): Set<string>;
  /** Resolves with the `count`-th message to `address` (1 = the first), as soon as it has arrived. */
  waitForMessageTo(address: string, count: number): Promise<CaughtMail>;
  /**
   * Holds every message from now on mid-DATA, unanswered, as a slow SMTP server would, until the
   * returned function is called: shows which answers wait for SMTP and which do not.
   */
  hold(): () => void;
  /** Whether messages are being held now. */
  isHeld(): boolean;
  close(): Promise<void>;
}

/** `port`: listen there (a test that starts the SMTP server only after mail was queued for it). */
export async function startMailCatcher({ port: wanted = 0 }: { port?: number } = {}): Promise<MailCatcher> {
  const messages: CaughtMail[] = [];
  const arrivalListeners = new Set<() => void>();
  let gate: Promise<void> = Promise.resolve();
  let held = false;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        await gate;
        const raw = Buffer.concat(chunks).toString('utf8');
        // Recorded before the server is told the message was accepted, so by the time an API
        // call that sends mail has answered, its message is here.
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          ...parseMail(raw),
          raw,
        });
        for (const listener of arrivalListeners) listener();
        callback();
      });
    },
  });
  smtp.listen(wanted, '127.0.0.1');
  await once(smtp.server, 'listening');
  const { port } = smtp.server.address() as AddressInfo;

  const messagesTo = (address: string) => messages.filter((m) => m.to.includes(address.toLowerCase()));
  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    messages,
    messagesTo,
    latestCodeTo: (address) =>
      latestCode(
        messagesTo(address).map((m) => m.text),
        address,
      ),
    codesSent: () => collectCodes(messages.flatMap((m) => [m.subject, m.text, m.html])),
    waitForMessageTo: (address, count) =>
      new Promise<CaughtMail>((resolve) => {
        const check = () => {
          const message = messagesTo(address)[count - 1];
          if (message === undefined) return;
          arrivalListeners.delete(check);
          resolve(message);
        };
        arrivalListeners.add(check);
        check();
      }),
    hold: () => {
      let release = () => {};
      held = true;
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => {
        held = false;
        release();
      };
    },
    isHeld: () => held,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

// --- SMS webhook ------------------------------------------------------------------------

export interface SmsSink {
  /** `http://127.0.0.1:<port>/sms`, for the server's SMS_WEBHOOK_URL. */
  readonly url: string;
  readonly messages: readonly CaughtSms[];
  messagesTo(phoneNumber: string): CaughtSms[];
  latestCodeTo(phoneNumber: string): string;
  codesSent(): Set<string>;
  close(): Promise<void>;
}

/** An HTTP endpoint that accepts the webhook's `POST {to, body}` and keeps what it got. */
export async function startSmsSink(): Promise<SmsSink> {
  const messages: CaughtSms[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const isJson = req.headers['content-type']?.startsWith('application/json') === true;
      if (req.method !== 'POST' || req.url !== '/sms' || !isJson) {
        res.writeHead(404).end();
        return;
      }
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<CaughtSms>;
      if (typeof payload.to !== 'string' || typeof payload.body !== 'string') {
        res.writeHead(400).end();
        return;
      }
      messages.push({ to: payload.to, body: payload.body });
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const messagesTo = (phoneNumber: string) => messages.filter((m) => m.to === phoneNumber);
  return {
    url: `http://127.0.0.1:${port}/sms`,
    messages,
    messagesTo,
    latestCodeTo: (phoneNumber) =>
      latestCode(
        messagesTo(phoneNumber).map((m) => m.body),
        phoneNumber,
      ),
    codesSent: () => collectCodes(messages.map((m) => m.body)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

// --- Log hygiene ------------------------------------------------------------------------

/**
 * The lines that contain any of `secrets` in clear. Six-digit codes match only as whole
 * numbers (so a timestamp that happens to contain the digits is not a leak); anything
 * else (tokens, passwords, recovery codes, TOTP keys) matches as a substring.
 */
export function linesRevealing(lines: readonly string[], secrets: Iterable<string>): string[] {
  const codes: string[] = [];
  const others: string[] = [];
  for (const secret of secrets) (/^\d{6}$/.test(secret) ? codes : others).push(secret);
  const codeSet = new Set(codes);
  return lines.filter(
    (line) => others.some((secret) => line.includes(secret)) || codesIn(line).some((c) => codeSet.has(c)),
  );
}

// --- A small MIME reader (enough for what nodemailer sends) ---------------------------

interface MimePart {
  headers: Map<string, string>;
  body: string;
}

function splitHeaders(raw: string): MimePart {
  const separator = raw.search(/\r?\n\r?\n/);
  const head = separator < 0 ? raw : raw.slice(0, separator);
  const body = separator < 0 ? '' : raw.slice(separator).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  // Folded header lines continue with whitespace (RFC 5322 §2.2.3).
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const unfolded = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < unfolded.length; i++) {
    const hex = unfolded.slice(i + 1, i + 3);
    if (unfolded[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(unfolded[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(part: MimePart): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

/** RFC 2047 encoded words, as nodemailer writes non-ASCII or long subjects. */
function decodeHeaderValue(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function collectParts(part: MimePart, into: { text: string; html: string }): void {
  const contentType = part.headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (contentType.toLowerCase().startsWith('multipart/') && boundary !== undefined) {
    const sections = part.body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith('--')) break;
      collectParts(splitHeaders(section.replace(/^\r?\n/, '')), into);
    }
    return;
  }
  if (contentType.toLowerCase().startsWith('text/html')) into.html += decodeBody(part);
  else if (contentType.toLowerCase().startsWith('text/plain')) into.text += decodeBody(part);
}

function parseMail(raw: string): { subject: string; text: string; html: string } {
  const root = splitHeaders(raw);
  const content = { text: '', html: '' };
  collectParts(root, content);
  return { subject: decodeHeaderValue(root.headers.get('subject') ?? ''), ...content };
}
