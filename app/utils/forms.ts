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
