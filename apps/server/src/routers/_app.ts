import { router } from '../trpc/init.js';
import { accountRouter } from './account.router.js';
import { authRouter } from './auth.router.js';
import { internalRouter } from './internal.router.js';
import { passkeysRouter } from './passkeys.router.js';
import { profileRouter } from './profile.router.js';
import { bookmarksRouter, socialRouter } from './social.router.js';
import { twoFactorRouter } from './two-factor.router.js';

export const appRouter = router({
  auth: authRouter,
  profile: profileRouter,
  account: accountRouter,
  twoFactor: twoFactorRouter,
  social: socialRouter,
  bookmarks: bookmarksRouter,
  internal: internalRouter,
  passkeys: passkeysRouter,
});

export type AppRouter = typeof appRouter;
