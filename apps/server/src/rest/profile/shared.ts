/** Tags and messages the profile dialect's route files share. */
export const PROFILE_TAG = 'profile: profile';
export const ACCOUNT_TAG = 'profile: account';
export const V1_TAG = 'profile: v1 (superseded)';
export const AUTH_TAG = 'profile: sign-in';

/** The message of an answer after a username change (seeds/002, v1 endpoint 2). */
export const USERNAME_CHANGED =
  'Username changed successfully! You will be logged out automatically. Please login again with your new username.';
