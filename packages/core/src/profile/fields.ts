import { z } from 'zod';
import { boundedText, clearableText } from '../text.js';

/** SPEC §2 "Names, bio, display fields": limits in characters (UTF-16 code units, as JS counts them). */
export const NAME_MAX_LENGTH = 30;
export const BIO_MAX_LENGTH = 1000;
/** The classic dialect's `profile.bio.title`. */
export const HEADLINE_MAX_LENGTH = 100;
/** The classic dialect's `profile.talent.about`. */
export const ABOUT_MAX_LENGTH = 5000;
export const LOCATION_MAX_LENGTH = 120;

export const AVAILABILITY_VALUES = ['available', 'limited', 'unavailable'] as const;
export type Availability = (typeof AVAILABILITY_VALUES)[number];

function requiredName(label: string) {
  return boundedText({ label, maxLength: NAME_MAX_LENGTH }).min(1, { error: `${label} is required` });
}

/** 1–30 characters after trimming. */
export const firstNameSchema = requiredName('First name');
/** 1–30 characters after trimming. */
export const lastNameSchema = requiredName('Last name');
/** At most 30 characters; `null` or an empty string means no middle name. */
export const middleNameSchema = clearableText({ label: 'Middle name', maxLength: NAME_MAX_LENGTH });

/** Short free text; line breaks and tabs allowed. `null` or `''` clears it. */
export const bioSchema = clearableText({ label: 'Bio', maxLength: BIO_MAX_LENGTH, multiline: true });
/** One line. `null` or `''` clears it. */
export const headlineSchema = clearableText({ label: 'Headline', maxLength: HEADLINE_MAX_LENGTH });
/** Long free text; line breaks and tabs allowed. `null` or `''` clears it. */
export const aboutSchema = clearableText({ label: 'About', maxLength: ABOUT_MAX_LENGTH, multiline: true });
/** One line, free form ("Manchester, England"). `null` or `''` clears it. */
export const locationSchema = clearableText({ label: 'Location', maxLength: LOCATION_MAX_LENGTH });

export const availabilitySchema = z.enum(AVAILABILITY_VALUES, {
  error: `Availability must be one of ${AVAILABILITY_VALUES.join(', ')}`,
});
