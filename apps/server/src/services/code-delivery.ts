import type { CodePurpose } from '@userhub/core';
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
};

export interface CodeDelivery {
  readonly userId: string;
  readonly purpose: CodePurpose;
  /** The address or number the code is bound to and sent to. */
  readonly target: string;
  /** Issue the code but send it nowhere (an email change to an address another account owns). */
  readonly withhold?: boolean;
}

/**
 * Every code the service mails or texts goes through here: the per-user send limit first
 * (SPEC §3), then a fresh code, then the message. A failed send propagates: a code that
 * cannot arrive must not be reported as sent.
 */
export function createCodeDelivery(
  deps: Pick<AppDeps, 'db' | 'clock' | 'codes' | 'rateLimits'>,
  notifications: Notifications,
) {
  return async function deliverCode(delivery: CodeDelivery): Promise<IssuedCode> {
    const { userId, purpose, target } = delivery;
    await deps.rateLimits.consumeOtpSend(userId);
    const issued = await deps.codes.issue(deps.db, { userId, purpose, target }, deps.clock.now());
    if (delivery.withhold === true) return issued;
    const route = ROUTES[purpose];
    if (route.channel === 'sms') await notifications.textCode(target, issued.code);
    else await notifications.mailCode(target, issued.code, route.wording);
    return issued;
  };
}

export type DeliverCode = ReturnType<typeof createCodeDelivery>;
