import { z } from "zod";
import { parseAsOf, type AsOfProblem } from "./as-of";
import { isoOfDay, vietnamDay } from "./dates";

// The coverage pages and the export route read the same query string. A
// choice that does not parse falls back to its default: the page still
// answers, within the actor's scope, and nothing else happens. The as-of
// date is the exception (./as-of.ts): a date that cannot be used is reported
// with the page, which then shows today's figures under the error.

const optionalId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/)
  .optional()
  .catch(undefined);

export const CoverageQuerySchema = z.object({
  asOf: z.string().optional(), // checked by parseAsOf, which can say what is wrong with it
  group: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,39}$/)
    .optional()
    .catch(undefined),
  era: z.enum(["current", "former"]).default("current").catch("current"),
  province: optionalId,
  former: optionalId, // a former (63) province, from the breakdown by former units
  agency: optionalId,
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).catch(1),
  q: z.string().trim().max(100).optional().catch(undefined),
  linked: z.enum(["yes", "no"]).optional().catch(undefined),
});

export type CoverageQuery = Omit<z.infer<typeof CoverageQuerySchema>, "asOf"> & {
  /** The day the figures are for: the date asked for, or today when it was absent or unusable. */
  day: number;
  asOfIso: string;
  /** Why the date asked for was not used (the figures are then today's); null when it was. */
  asOfProblem: AsOfProblem | null;
  /** The date as typed, to show back in the form next to its error. */
  asOfInput: string | null;
};

export function parseCoverageQuery(url: URL, now = new Date()): CoverageQuery {
  const { asOf, ...query } = CoverageQuerySchema.parse(Object.fromEntries(url.searchParams));
  const today = vietnamDay(now);
  const parsed = parseAsOf(asOf, today);
  const day = parsed.day ?? today;
  return {
    ...query,
    q: query.q || undefined,
    day,
    asOfIso: isoOfDay(day),
    asOfProblem: parsed.problem,
    asOfInput: parsed.problem ? (asOf ?? "").slice(0, 100) : null,
  };
}

/** What a page's as-of form needs: the day shown, today (the form's max) and, when the date asked for was refused, why and what was typed. */
export function asOfState(query: CoverageQuery, now = new Date()) {
  return {
    asOf: query.asOfIso,
    today: isoOfDay(vietnamDay(now)),
    asOfProblem: query.asOfProblem,
    asOfInput: query.asOfInput,
  };
}
