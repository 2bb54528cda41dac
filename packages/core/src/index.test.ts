import { describe, expect, it } from 'vitest';
import * as core from './index.js';

/** The names apps/server and packages/sdk code against; typed, so a missing export also fails tsc. */
const CONTRACT: readonly (keyof typeof core)[] = [
  // errors
  'ERROR_CODES',
  'issuesToFieldErrors',
  // username
  'USERNAME_MIN_LENGTH',
  'USERNAME_MAX_LENGTH',
  'USERNAME_PATTERN',
  'RESERVED_USERNAMES',
  'isReservedUsername',
  'stripUsernamePrefix',
  'usernameKey',
  'checkUsernameRules',
  'generateUsername',
  'usernameCandidates',
  'usernameSchema',
  'usernameLookupSchema',
  // profile fields
  'NAME_MAX_LENGTH',
  'BIO_MAX_LENGTH',
  'HEADLINE_MAX_LENGTH',
  'ABOUT_MAX_LENGTH',
  'LOCATION_MAX_LENGTH',
  'AVAILABILITY_VALUES',
  'firstNameSchema',
  'lastNameSchema',
  'middleNameSchema',
  'bioSchema',
  'headlineSchema',
  'aboutSchema',
  'locationSchema',
  'availabilitySchema',
  // pictures, contact, socials
  'MAX_PROFILE_PICTURES',
  'PROFILE_PICTURE_URL_MAX_LENGTH',
  'checkProfilePictureUrl',
  'profilePictureUrlSchema',
  'profilePictureUrlsSchema',
  'contactSchema',
  'phoneNumberSchema',
  'maskPhone',
  'maskEmail',
  'socialsSchema',
  // tags, completeness, strength
  'MAX_TAGS_PER_USER',
  'TAG_NAME_MAX_LENGTH',
  'normalizeTagKey',
  'tagColor',
  'tagNameSchema',
  'tagsInputSchema',
  'computeProfileCompleteness',
  'COMPLETENESS_ITEMS',
  'missingCompletenessItems',
  'computeSecurityStrength',
  'PASSWORD_MAX_AGE_MONTHS',
  'EMAIL_VERIFIED_POINTS',
  'PHONE_VERIFIED_POINTS',
  'TWO_FACTOR_POINTS',
  'RECENT_PASSWORD_POINTS',
  // passwords
  'CLASS_PASSWORD_POLICY',
  'NIST_PASSWORD_POLICY',
  'DEFAULT_PASSWORD_POLICY',
  'checkPassword',
  'passwordFieldSchema',
  'newPasswordSchema',
  // inputs
  'signUpInput',
  'signInInput',
  'completeTwoFactorInput',
  'revokeSessionInput',
  'profileUpdateInput',
  'profileByIdInput',
  'profileByUsernameInput',
  'profileListInput',
  'checkUsernameInput',
  'changeUsernameInput',
  'changePasswordInput',
  'requestEmailChangeInput',
  'verifyCodeInput',
  'requestPhoneVerificationInput',
  'deactivateInput',
  'deleteAccountInput',
  'securityEventsInput',
  'twoFactorMethodSchema',
  'initiateTwoFactorInput',
  'twoFactorCodeInput',
  'passwordInput',
  'userIdInput',
  'cursorPageInput',
  'userListPageInput',
  'adjustStatsInput',
  'progressAchievementInput',
  'ACHIEVEMENT_DEFINITIONS',
  'achievementTypeSchema',
  // outputs
  'tagRecordSchema',
  'securityStrengthSchema',
  'achievementSchema',
  'ownProfileSchema',
  'relationshipSchema',
  'publicProfileSchema',
  'PUBLIC_PROFILE_FIELDS',
];

describe('public exports', () => {
  it('include every name of the contract', () => {
    const exported = Object.entries(core)
      .filter(([, value]) => value !== undefined)
      .map(([name]) => name);
    expect(exported).toEqual(expect.arrayContaining([...CONTRACT]));
  });
});
