/** The user state that profile completeness reads (SPEC §2 "Profile completeness"). */
export interface CompletenessInput {
  firstName: string | null;
  lastName: string | null;
  headline: string | null;
  bio: string | null;
  about: string | null;
  tagCount: number;
  location: string | null;
  contact: { country: string | null; city: string | null; address: string | null; phone: string | null };
  phoneNumber: string | null;
  socials: { github: string | null; twitter: string | null; linkedin: string | null; website: string | null };
  profilePictureCount: number;
}

/** The ten items, in SPEC order; each is worth the same share of 100. */
export const COMPLETENESS_ITEMS = [
  'fullName',
  'headline',
  'bio',
  'about',
  'tags',
  'location',
  'address',
  'phone',
  'socials',
  'profilePicture',
] as const;
export type CompletenessItem = (typeof COMPLETENESS_ITEMS)[number];

/** 10 points per item (SPEC §2: ten items, 10 points each). */
export const COMPLETENESS_POINTS_PER_ITEM = 100 / COMPLETENESS_ITEMS.length;

function isFilled(value: string | null): boolean {
  return value !== null && value.trim() !== '';
}

const ITEM_IS_PRESENT: Record<CompletenessItem, (p: CompletenessInput) => boolean> = {
  fullName: (p) => isFilled(p.firstName) && isFilled(p.lastName),
  headline: (p) => isFilled(p.headline),
  bio: (p) => isFilled(p.bio),
  about: (p) => isFilled(p.about),
  tags: (p) => p.tagCount >= 1,
  location: (p) => (isFilled(p.contact.country) && isFilled(p.contact.city)) || isFilled(p.location),
  address: (p) => isFilled(p.contact.address),
  phone: (p) => isFilled(p.contact.phone) || isFilled(p.phoneNumber),
  socials: (p) => Object.values(p.socials).some(isFilled),
  profilePicture: (p) => p.profilePictureCount >= 1,
};

/** The items the profile still lacks, in SPEC order (what a "complete your profile" prompt lists). */
export function missingCompletenessItems(p: CompletenessInput): CompletenessItem[] {
  return COMPLETENESS_ITEMS.filter((item) => !ITEM_IS_PRESENT[item](p));
}

/** The classic `profileCompleteness`: 0–100 in steps of 10. */
export function computeProfileCompleteness(p: CompletenessInput): number {
  const present = COMPLETENESS_ITEMS.length - missingCompletenessItems(p).length;
  return present * COMPLETENESS_POINTS_PER_ITEM;
}
