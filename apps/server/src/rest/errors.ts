import { addFieldErrors, emptyFieldErrors, type FieldErrors } from '@userhub/core';
import { describeFailure, type Failure, validationMessage } from '../errors.js';

/** Procedure field names → a dialect's own names, so field errors point at what the client sent. */
export type FieldNames = Readonly<Record<string, string>>;

/** Field messages keyed by the dialect's own field names (the procedure's names by default). */
export function renameFields(fieldErrors: FieldErrors, names: FieldNames): FieldErrors {
  const prefixes = Object.keys(names).sort((a, b) => b.length - a.length);
  const renamed = emptyFieldErrors();
  for (const [path, messages] of Object.entries(fieldErrors)) {
    const prefix = prefixes.find((name) => path === name || path.startsWith(`${name}.`));
    const target = prefix === undefined ? path : `${names[prefix]}${path.slice(prefix.length)}`;
    addFieldErrors(renamed, target, messages);
  }
  return renamed;
}

/**
 * A failure as both REST dialects report it: the error table's status, field errors under
 * the dialect's names, and every validation failure worded from its field map (SPEC §5).
 */
export function toRestFailure(error: unknown, names: FieldNames = {}): Failure {
  const failure = describeFailure(error);
  if (failure.fieldErrors === null) return failure;
  const fieldErrors = renameFields(failure.fieldErrors, names);
  return {
    ...failure,
    fieldErrors,
    message: failure.reason === 'VALIDATION_FAILED' ? validationMessage(fieldErrors) : failure.message,
  };
}
