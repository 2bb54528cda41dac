import type { AppDeps } from '../deps.js';
import { countSignInOutcomes } from '../metrics.js';
import { createAccountService } from './account.service.js';
import { createAccountDeletionService } from './account-deletion.service.js';
import { createAuthService } from './auth.service.js';
import { createBackgroundMail } from './background-mail.js';
import { createBasicInfoService } from './basic-info.service.js';
import { createCodeDelivery } from './code-delivery.js';
import { createCredentialsService } from './credentials.service.js';
import { createDataExportService } from './data-export.service.js';
import { createInternalService } from './internal.service.js';
import { createNotMeService } from './not-me.service.js';
import { createNotifications } from './notifications.js';
import { createPasskeysService } from './passkeys.service.js';
import { createPasswordResetService } from './password-reset.service.js';
import { createProfileService } from './profile.service.js';
import { createSecondFactorGate } from './second-factor-gate.js';
import { createSignInCodeService } from './sign-in-code.service.js';
import { createSocialService } from './social.service.js';
import { createTwoFactorService } from './two-factor.service.js';
import { createUsernameHistoryService } from './username-history.service.js';

export function createServices(deps: AppDeps) {
  const notifications = createNotifications(deps);
  const deliverCode = createCodeDelivery(deps, notifications);
  const credentials = createCredentialsService(deps, notifications, deliverCode);
  const twoFactor = createTwoFactorService(deps, credentials, notifications, deliverCode);
  const auth = countSignInOutcomes(createAuthService(deps, twoFactor), deps.metrics);
  const mailInBackground = createBackgroundMail(deps);
  const requireSecondFactor = createSecondFactorGate(deps, twoFactor, deliverCode);
  const passwordReset = createPasswordResetService(
    deps,
    requireSecondFactor,
    notifications,
    mailInBackground,
  );
  return {
    auth,
    passwordReset,
    accountDeletion: createAccountDeletionService(
      deps,
      credentials,
      auth,
      requireSecondFactor,
      mailInBackground,
    ),
    notMe: createNotMeService(deps, passwordReset),
    signInCode: createSignInCodeService(deps, auth, mailInBackground),
    passkeys: createPasskeysService(deps, auth, notifications),
    account: createAccountService(deps, notifications),
    credentials,
    twoFactor,
    profile: createProfileService(deps),
    social: createSocialService(deps),
    internal: createInternalService(deps),
    basicInfo: createBasicInfoService(deps, notifications, deliverCode),
    usernameHistory: createUsernameHistoryService(deps),
    dataExport: createDataExportService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
