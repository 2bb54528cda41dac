import type { z } from 'zod';

/**
 * A `when` predicate for cross-field refinements on an object: run the refinement as
 * long as the named fields themselves parsed, even if OTHER fields failed, so every
 * problem is reported in one response; skip it when one of the named fields failed
 * (its own issue already says why, and its value may not have the expected type).
 */
export function whenFieldsParsed(...keys: string[]): (payload: z.core.ParsePayload) => boolean {
  return (payload) =>
    typeof payload.value === 'object' &&
    payload.value !== null &&
    !Array.isArray(payload.value) &&
    !payload.issues.some(
      (issue) => (issue.path?.length ?? 0) === 0 || keys.includes(String(issue.path?.[0])),
    );
}

/**
 * The message for a value of the wrong type: "X is required" when it is missing,
 * "X must be a string" (or whatever `expected` says) otherwise. Zod's default
 * ("Invalid input: expected string, received undefined") names neither the field nor
 * the rule.
 */
export function typeError(label: string, expected: string): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be ${expected}`);
}
