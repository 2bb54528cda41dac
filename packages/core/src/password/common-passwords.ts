import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Common passwords, lower-case: the ~49,000-entry list zxcvbn-ts ships (sourced from
 * breach corpora), used as the blocklist NIST SP 800-63B §5.1.1.2 asks verifiers to
 * check new passwords against. A maintained dependency rather than a pasted copy.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common']);

/** Whether `password` is on the common list, ignoring case (`PASSWORD`, `Qwerty` count). */
export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}
