import { z } from 'zod';
import { twoFactorCodeSchema } from '../auth/auth.schema.js';
import { passwordFieldSchema } from '../password/policy.js';

/** SPEC §7: a code mailed to the verified address, or a TOTP app (RFC 6238). */
export const TWO_FACTOR_METHODS = ['email', 'totp'] as const;
export type TwoFactorMethod = (typeof TWO_FACTOR_METHODS)[number];

export const twoFactorMethodSchema = z.enum(TWO_FACTOR_METHODS, {
  error: `Method must be one of ${TWO_FACTOR_METHODS.join(', ')}`,
});

/** `twoFactor.initiate`. */
export const initiateTwoFactorInput = z.strictObject({ method: twoFactorMethodSchema });

/** `twoFactor.activate`, `twoFactor.deactivate`, `twoFactor.regenerateRecoveryCodes`. */
export const twoFactorCodeInput = z.strictObject({ code: twoFactorCodeSchema });

/** `twoFactor.sendCode`, `twoFactor.enableWithPassword`, `twoFactor.disableWithPassword`. */
export const passwordInput = z.strictObject({ password: passwordFieldSchema });
