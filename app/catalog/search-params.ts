import { z } from "zod";
import { CONVENTIONS } from "./conventions";
import { COURSE_LENGTHS, SEARCH_MAX_LENGTH, type CatalogQuery } from "./search";

// The catalog's query string, read with zod. Kept apart from search.ts so the
// page's browser bundle, which needs the lengths and the fold but never parses
// a URL, does not carry zod and the conventions' seed data.

const CONVENTION_CODES = CONVENTIONS.map((c) => c.code);

// Each parameter is checked on its own, so one bad value in a shared link
// drops only that filter (and says so) instead of the whole search.
const CatalogParams = {
  q: z.string().trim().max(SEARCH_MAX_LENGTH),
  convention: z
    .string()
    .trim()
    .toUpperCase()
    .refine((code) => CONVENTION_CODES.includes(code)),
  language: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z]{2,3}$/),
  length: z.enum(COURSE_LENGTHS),
};

export type CatalogParam = keyof typeof CatalogParams;

/** The catalog query in a URL; values that are not valid are left out and named in `ignored`. */
export function parseCatalogQuery(params: URLSearchParams): { query: CatalogQuery; ignored: CatalogParam[] } {
  const query: CatalogQuery = {};
  const ignored: CatalogParam[] = [];
  for (const key of Object.keys(CatalogParams) as CatalogParam[]) {
    const raw = params.get(key);
    // An empty value is how a GET form says "any": not an error.
    if (raw === null || raw.trim() === "") continue;
    const parsed = CatalogParams[key].safeParse(raw);
    if (parsed.success) Object.assign(query, { [key]: parsed.data });
    else ignored.push(key);
  }
  return { query, ignored };
}
