import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import {
  createMailer,
  createSmsSender,
  createWebhookSmsSender,
  MailDeliveryError,
  type MailedCodePurpose,
  type Mailer,
  phoneCodeSms,
  type SecurityEvent,
  SmsDeliveryError,
  securityNoticeMessage,
  verificationCodeMessage,
} from '../src/messaging/index.js';

const MAIL_FROM = 'userhub <no-reply@userhub.test>';
const REJECTED_RECIPIENT = 'rejected@userhub.test';

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome, 'expected the promise to reject').toBeInstanceOf(Error);
  return outcome as Error;
}

function collectingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { lines, logger: createLogger({ logLevel: 'info' }, destination) };
}

describe('SMTP mailer', () => {
  const received: { envelopeTo: string[]; raw: string }[] = [];
  let smtp: SMTPServer;
  let mailer: Mailer;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address === REJECTED_RECIPIENT) {
          callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    const { port } = smtp.server.address() as AddressInfo;
    const config = loadConfig({ NODE_ENV: 'test', SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM });
    mailer = createMailer(config, collectingLogger().logger);
  });

  afterAll(async () => {
    await mailer?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(resolve) : resolve()));
  });

  it('delivers a code message with the right envelope, headers and code', async () => {
    const message = verificationCodeMessage({
      code: '493817',
      purpose: 'email_verification',
      minutesValid: 10,
    });
    await mailer.send({ to: 'alice@example.com', ...message });

    const mail = received.find((m) => m.envelopeTo.includes('alice@example.com'));
    expect(mail, 'the SMTP server received no message for alice').toBeDefined();
    const raw = mail!.raw;
    expect(raw).toMatch(/^To: alice@example\.com\r$/m);
    expect(raw).toMatch(/^From: userhub <no-reply@userhub\.test>\r$/m);
    expect(raw).toMatch(/^Subject: Your userhub verification code\r$/m);
    expect(raw).toContain('493817');
    expect(raw).toMatch(/^Content-Type: text\/html/m);
  });

  it('rejects with a MailDeliveryError when the server refuses the recipient', async () => {
    const message = verificationCodeMessage({ code: '271828', purpose: 'sign_in', minutesValid: 10 });
    const error = await rejectionOf(mailer.send({ to: REJECTED_RECIPIENT, ...message }));
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect(error.message).toMatch(/^SMTP delivery failed/);
    expect(error.message).toContain('550');
    expect(error.message).not.toContain('271828');
    expect(received.some((m) => m.envelopeTo.includes(REJECTED_RECIPIENT))).toBe(false);
  });
});

describe('log mailer (no SMTP_URL)', () => {
  it('logs recipient, subject and text at info level so a developer can read the code', async () => {
    const { lines, logger } = collectingLogger();
    const mailer = createMailer(loadConfig({ NODE_ENV: 'test' }), logger);
    const message = verificationCodeMessage({ code: '650042', purpose: 'email_change', minutesValid: 10 });

    await mailer.send({ to: 'bob@example.com', ...message });
    await mailer.close();

    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line.level).toBe(30);
    expect(line.msg).toBe('mail (no SMTP_URL configured)');
    expect(line.to).toBe('bob@example.com');
    expect(line.subject).toBe(message.subject);
    expect(line.text).toContain('650042');
  });

  it('in production logs neither the text nor the code of unsent mail and SMS', async () => {
    const { lines, logger } = collectingLogger();
    const config = loadConfig({ NODE_ENV: 'production', APP_SECRET: 'p'.repeat(40) });
    const message = verificationCodeMessage({ code: '650043', purpose: 'email_change', minutesValid: 10 });
    await createMailer(config, logger).send({ to: 'bob@example.com', ...message });
    await createSmsSender(config, logger).send({ to: '+14155550123', body: 'code 650044' });

    expect(lines.map((l) => l.msg)).toEqual([
      'mail not sent: no SMTP_URL configured',
      'sms not sent: no SMS_WEBHOOK_URL configured',
    ]);
    expect(lines[0]!.to).toBe('bob@example.com');
    expect(JSON.stringify(lines)).not.toMatch(/65004[34]/);
  });
});

describe('SMS sender', () => {
  interface ReceivedRequest {
    method: string | undefined;
    url: string | undefined;
    contentType: string | undefined;
    body: string;
  }
  const requests: ReceivedRequest[] = [];
  let sink: Server;
  let baseUrl: string;

  beforeAll(async () => {
    sink = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        requests.push({
          method: req.method,
          url: req.url,
          contentType: req.headers['content-type'],
          body: Buffer.concat(chunks).toString('utf8'),
        });
        if (req.url === '/fails') {
          res.writeHead(500, { 'content-type': 'text/plain' }).end('internal gateway detail');
        } else if (req.url === '/hangs') {
          // No answer at all: only the sender's own timeout can end the request.
        } else {
          res.writeHead(204).end();
        }
      });
    });
    sink.listen(0, '127.0.0.1');
    await once(sink, 'listening');
    baseUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    if (!sink) return;
    sink.closeAllConnections();
    await new Promise<void>((resolve, reject) => sink.close((error) => (error ? reject(error) : resolve())));
  });

  it('POSTs JSON {to, body} to the webhook', async () => {
    const sender = createSmsSender(
      loadConfig({ NODE_ENV: 'test', SMS_WEBHOOK_URL: `${baseUrl}/ok` }),
      collectingLogger().logger,
    );
    const body = phoneCodeSms({ code: '102938', minutesValid: 10 });

    await sender.send({ to: '+14155550123', body });

    const request = requests.find((r) => r.url === '/ok');
    expect(request).toBeDefined();
    expect(request!.method).toBe('POST');
    expect(request!.contentType).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({ to: '+14155550123', body });
  });

  it('rejects naming the status, not the response body, when the webhook answers 500', async () => {
    const sender = createWebhookSmsSender(`${baseUrl}/fails`);
    const error = await rejectionOf(sender.send({ to: '+14155550123', body: 'code 555111' }));
    expect(error).toBeInstanceOf(SmsDeliveryError);
    expect((error as SmsDeliveryError).status).toBe(500);
    expect(error.message).toContain('500');
    expect(error.message).not.toContain('internal gateway detail');
    expect(error.message).not.toContain('555111');
  });

  it('rejects when the webhook does not answer within the timeout', async () => {
    const sender = createWebhookSmsSender(`${baseUrl}/hangs`, { timeoutMs: 100 });
    const error = await rejectionOf(sender.send({ to: '+14155550123', body: 'code 777000' }));
    expect(error).toBeInstanceOf(SmsDeliveryError);
    expect(error.message).toBe('SMS webhook timed out after 100 ms');
    expect(requests.some((r) => r.url === '/hangs')).toBe(true);
  });

  it('logs the message when no webhook is configured', async () => {
    const { lines, logger } = collectingLogger();
    const sender = createSmsSender(loadConfig({ NODE_ENV: 'test' }), logger);

    await sender.send({ to: '+14155550123', body: phoneCodeSms({ code: '864209', minutesValid: 5 }) });

    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toBe('sms (no SMS_WEBHOOK_URL configured)');
    expect(lines[0]!.to).toBe('+14155550123');
    expect(lines[0]!.body).toContain('864209');
  });
});

describe('templates', () => {
  const purposes: MailedCodePurpose[] = ['email_verification', 'email_change', 'two_factor', 'sign_in'];
  const events: SecurityEvent[] = [
    'password_changed',
    'username_changed',
    'email_changed',
    'two_factor_enabled',
    'two_factor_disabled',
    'account_deactivated',
  ];

  it.each(purposes)('the %s code message carries the code, the expiry and the ignore hint', (purpose) => {
    const message = verificationCodeMessage({ code: '314159', purpose, minutesValid: 10 });
    expect(message.subject).not.toBe('');
    expect(message.subject).not.toContain('314159');
    for (const part of [message.text, message.html]) {
      expect(part).toContain('314159');
      expect(part).toContain('expires in 10 minutes');
      expect(part).toMatch(/ignore/i);
    }
  });

  it('each purpose has its own subject', () => {
    const subjects = purposes.map(
      (purpose) => verificationCodeMessage({ code: '000000', purpose, minutesValid: 10 }).subject,
    );
    expect(new Set(subjects).size).toBe(purposes.length);
  });

  it('says "1 minute" for a single minute', () => {
    const message = verificationCodeMessage({ code: '123456', purpose: 'sign_in', minutesValid: 1 });
    expect(message.text).toContain('expires in 1 minute.');
  });

  it('escapes values in the html part', () => {
    const message = verificationCodeMessage({
      code: '<script>"x"&\'y\'</script>',
      purpose: 'email_verification',
      minutesValid: 10,
    });
    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;');
    expect(message.text).toContain('<script>');
  });

  it('the SMS body carries the code and the expiry', () => {
    const body = phoneCodeSms({ code: '271828', minutesValid: 10 });
    expect(body).toContain('271828');
    expect(body).toContain('expires in 10 minutes');
  });

  it.each(events)('the %s notice says what and when, and carries no code', (event) => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    const message = securityNoticeMessage({ event, at });
    expect(message.subject).not.toBe('');
    for (const part of [message.subject, message.text, message.html]) {
      expect(part).not.toMatch(/\d{6}/);
    }
    for (const part of [message.text, message.html]) {
      expect(part).toContain(' on 4 March 2026, 05:06 UTC');
      expect(part).not.toContain('2026-03-04T');
      expect(part).toMatch(/if this was not you/i);
    }
  });

  it('says when an account was deactivated and what that means, in words people use', () => {
    const message = securityNoticeMessage({
      event: 'account_deactivated',
      at: new Date('2026-12-01T10:30:45.866Z'),
    });
    expect(message.text).toContain(
      'Your userhub account was deactivated on 1 December 2026, 10:30 UTC. Your data is kept, but your profile is hidden',
    );
    expect(message.text).not.toMatch(/hidden at/);
  });

  it('speaks of PRODUCT_NAME and links to PUBLIC_URL, in the HTML and the text part', () => {
    const brand = { productName: 'Acme ID', publicUrl: 'https://id.acme.test' };
    const code = verificationCodeMessage({ code: '424242', purpose: 'sign_in', minutesValid: 10, brand });
    const notice = securityNoticeMessage({ event: 'password_changed', at: new Date(), brand });
    expect(code.subject).toBe('Your Acme ID sign-in code');
    expect(notice.subject).toBe('Your Acme ID password was changed');
    for (const part of [code.text, code.html, notice.text, notice.html]) {
      expect(part).toContain('Acme ID');
      expect(part).toContain('https://id.acme.test');
      expect(part).not.toContain('userhub');
    }
    expect(phoneCodeSms({ code: '424242', minutesValid: 10, brand })).toContain('your Acme ID code');
  });

  it('lays every mail out the same way: table-based HTML with inline styles and a text part', () => {
    const messages = [
      ...purposes.map((purpose) => verificationCodeMessage({ code: '123456', purpose, minutesValid: 10 })),
      ...events.map((event) => securityNoticeMessage({ event, at: new Date('2026-12-01T10:30:00Z') })),
    ];
    for (const message of messages) {
      expect(message.html).toMatch(/^<!doctype html>/);
      expect(message.html).toContain('<table role="presentation"');
      expect(message.html).toContain('max-width:600px');
      // No stylesheet or remote resource: many clients strip <style> and block images.
      expect(message.html).not.toMatch(/<style|<link|<img|<script/);
      expect(message.html).toContain(`<title>${message.subject}</title>`);
      expect(message.text).toContain(
        'You receive this email because of your userhub account at http://127.0.0.1:3000.',
      );
      expect(message.text).not.toMatch(/<[a-z]/);
    }
  });

  it('each security event has its own subject', () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    const subjects = events.map((event) => securityNoticeMessage({ event, at }).subject);
    expect(new Set(subjects).size).toBe(events.length);
  });
});
