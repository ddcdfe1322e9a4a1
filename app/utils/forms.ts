import type { z } from "zod";

// Schemas give their messages as translation keys ("validation.email"), so
// the page shows them in the reader's language.
export type FieldErrors = Record<string, string>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    // "validation.x" is in the common namespace; "teach:validation.x" names its own.
    errors[field] ??= /^([a-z]+:)?validation\./.test(issue.message) ? issue.message : "validation.invalid";
  }
  return errors;
}

/** A message for the whole form: a translation key and the values it needs. */
export type FormError = { key: string; values?: Record<string, string | number> };

/**
 * What every form action returns (docs/decisions/082-action-result.md): done,
 * with what the page shows next; or not done, with the fields' messages and
 * perhaps one for the whole form, and a list of them (`problems`) where one
 * input holds many things to fix (a quiz's questions). `intent` says which of
 * a page's forms it answers. Redirects stay redirects.
 */
export type ActionResult<T = null> =
  | { status: "ok"; intent?: string; data: T }
  | { status: "invalid"; intent?: string; fieldErrors: FieldErrors; formError?: FormError; problems?: FormError[] };

export type Invalid = Extract<ActionResult<never>, { status: "invalid" }>;

const withIntent = (intent: string | undefined) => (intent === undefined ? {} : { intent });

/** The form's input did not pass its schema (or a domain check named the fields). */
export function invalid(errors: z.ZodError | FieldErrors, intent?: string): Invalid {
  return { status: "invalid", ...withIntent(intent), fieldErrors: isZodError(errors) ? fieldErrors(errors) : errors };
}

/** The input was well formed, but the action refuses it: one message for the form. */
export function refused(key: string, values?: Record<string, string | number>, intent?: string): Invalid {
  return {
    status: "invalid",
    ...withIntent(intent),
    fieldErrors: {},
    formError: values === undefined ? { key } : { key, values },
  };
}

/** The action did what was asked; `data` is what the page shows about it. */
export function done<T = null>(data: T = null as T, intent?: string): Extract<ActionResult<T>, { status: "ok" }> {
  return { status: "ok", ...withIntent(intent), data };
}

/** What a page with several forms shows beside the one that was sent: a translation key and its values. */
export type Notice = { notice: string; values?: Record<string, string | number> };

/** The fields' messages of a result, {} when it has none: what form fields read. */
export function errorsOf(result: ActionResult<unknown> | undefined | null): FieldErrors {
  return result?.status === "invalid" ? result.fieldErrors : {};
}

function isZodError(value: z.ZodError | FieldErrors): value is z.ZodError {
  return Array.isArray((value as z.ZodError).issues);
}
