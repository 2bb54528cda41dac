import type { CodePurpose } from '@userhub/core';
import type { Db } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import type { MailedCodePurpose } from '../messaging/index.js';
import type { IssuedCode } from '../security/one-time-codes.js';
import type { Notifications } from './notifications.js';

type Route = { readonly channel: 'mail'; readonly wording: MailedCodePurpose } | { readonly channel: 'sms' };

/** How each purpose's code reaches its target: the phone's by SMS, every other by mail. */
const ROUTES: Record<CodePurpose, Route> = {
  email_verification: { channel: 'mail', wording: 'email_verification' },
  email_change: { channel: 'mail', wording: 'email_change' },
  phone_verification: { channel: 'sms' },
  two_factor_setup: { channel: 'mail', wording: 'two_factor' },
  two_factor: { channel: 'mail', wording: 'two_factor' },
  sign_in: { channel: 'mail', wording: 'sign_in' },
  passwordless_sign_in: { channel: 'mail', wording: 'passwordless_sign_in' },
};

export interface CodeDelivery {
  readonly userId: string;
  readonly purpose: CodePurpose;
  /** The address or number the code is bound to and sent to. */
  readonly target: string;
  /** Issue the code but send it nowhere (an email change to an address another account owns). */
  readonly withhold?: boolean;
  /** Mail it worded for this step instead of its purpose's usual wording (a reset's second factor). */
  readonly wording?: MailedCodePurpose;
}

/**
 * Every code the service mails or texts goes through here: the per-user send limit first
 * (SPEC §3), then a fresh code, then the message queued in the outbox. The request never
 * waits for delivery; a code that finally cannot be delivered gives its send back.
 */
export function createCodeDelivery(
  deps: Pick<AppDeps, 'db' | 'clock' | 'codes' | 'rateLimits'>,
  notifications: Notifications,
) {
  /** The first step: spends one send of the user's budget (a separate store, never in a transaction). */
  const reserve = (userId: string) => deps.rateLimits.consumeOtpSend(userId);

  /** The second: issues the code within `db`, which may be the transaction of a larger change. */
  const issue = (db: Db, { userId, purpose, target }: CodeDelivery) =>
    deps.codes.issue(db, { userId, purpose, target }, deps.clock.now());

  /** The last: sends an issued code, once the change it belongs to has committed. */
  async function send({ userId, purpose, target, wording }: CodeDelivery, issued: IssuedCode): Promise<void> {
    const route = ROUTES[purpose];
    if (route.channel === 'sms') await notifications.textCode(target, issued.code, userId);
    else await notifications.mailCode(target, issued.code, wording ?? route.wording, userId);
  }

  async function deliverCode(delivery: CodeDelivery): Promise<IssuedCode> {
    await reserve(delivery.userId);
    const issued = await issue(deps.db, delivery);
    if (delivery.withhold !== true) await send(delivery, issued);
    return issued;
  }

  /** The same three steps, for a code that must be issued inside a caller's transaction. */
  return Object.assign(deliverCode, { reserve, issue, send });
}

export type DeliverCode = ReturnType<typeof createCodeDelivery>;
