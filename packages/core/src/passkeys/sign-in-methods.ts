/**
 * The ways an account can start a sign-in on its own (SPEC §9 "removing the last sign-in
 * method is refused"): its password and each of its passkeys. An emailed sign-in code is not
 * counted: it proves only the mailbox, which is also the password-reset channel, so it is a
 * recovery path rather than a credential the user holds.
 */
export interface SignInMethods {
  readonly hasPassword: boolean;
  readonly passkeyCount: number;
}

export function countSignInMethods(methods: SignInMethods): number {
  return (methods.hasPassword ? 1 : 0) + methods.passkeyCount;
}

/** Whether one passkey may go: something else must still sign the account in afterwards. */
export function canRemovePasskey(methods: SignInMethods): boolean {
  return methods.passkeyCount > 0 && countSignInMethods(methods) > 1;
}
