import { readUserhubError } from '@userhub/react';

export type FieldErrors = Record<string, string[]>;

/** The field map of a failed call (`{}` when the failure was not about fields). */
export function fieldErrorsOf(error: unknown): FieldErrors {
  return readUserhubError(error)?.fieldErrors ?? {};
}

/**
 * The messages for one form field. Nested inputs report nested paths (`contact.city`,
 * `tags.2`), so a field also owns the errors below its name.
 */
export function errorFor(errors: FieldErrors, name: string): string | undefined {
  const messages = Object.entries(errors)
    .filter(([path]) => path === name || path.startsWith(`${name}.`))
    .flatMap(([, list]) => list);
  return messages.length === 0 ? undefined : messages.join(' ');
}

/** One sentence for the top of a form: the field errors sit next to their fields already. */
export function formErrorMessage(error: unknown): string {
  const read = readUserhubError(error);
  if (read === null) return 'Something went wrong. Please try again.';
  if (Object.keys(read.fieldErrors).length > 0) return 'Please correct the fields marked below.';
  if (read.reason === 'RATE_LIMITED' && read.retryAfter !== null)
    return `Too many attempts. Try again in ${read.retryAfter} seconds.`;
  if (read.httpStatus === null && read.code !== 'BAD_REQUEST')
    return 'The server could not be reached. Check your connection and try again.';
  return read.message;
}
