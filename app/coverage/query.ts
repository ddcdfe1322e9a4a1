import { z } from "zod";
import { isoOfDay, parseIsoDay, vietnamDay } from "./dates";

// The coverage pages and the export route read the same query string. A value
// that does not parse falls back to its default: the page still answers,
// within the actor's scope, and nothing else happens.

const optionalId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional().catch(undefined);

export const CoverageQuerySchema = z.object({
  asOf: z
    .string()
    .refine((value) => parseIsoDay(value) !== null)
    .optional()
    .catch(undefined),
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

export type CoverageQuery = z.infer<typeof CoverageQuerySchema> & { day: number; asOfIso: string };

export function parseCoverageQuery(url: URL, now = new Date()): CoverageQuery {
  const query = CoverageQuerySchema.parse(Object.fromEntries(url.searchParams));
  const today = vietnamDay(now);
  // The future has no figures yet: a later date reads as today.
  const day = Math.min(query.asOf ? parseIsoDay(query.asOf)! : today, today);
  return { ...query, q: query.q || undefined, day, asOfIso: isoOfDay(day) };
}
