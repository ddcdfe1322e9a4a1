import { minutes } from "~/utils/format";

// Searching and filtering the public catalog. The catalog is small (tens of
// published courses), so the search runs here over the loaded rows rather than
// in SQL: SQLite and PostgreSQL fold Vietnamese differently (neither strips
// tone marks or maps đ to d without an extension), and one JS function gives
// both the same answer. See docs/decisions/091-catalog-search.md.

/** Text as the search compares it: no tone or vowel marks, đ as d, lower case, single spaces. */
export function foldForSearch(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/đ/g, "d").replace(/\s+/g, " ").trim();
}

/** The words of a query, folded; a course matches when it contains every one. */
export function queryTerms(q: string): string[] {
  return foldForSearch(q)
    .split(/[\s,.;:!?"'()/]+/)
    .filter(Boolean);
}

export function matchesTerms(foldedText: string, terms: readonly string[]): boolean {
  return terms.every((term) => foldedText.includes(term));
}

export const COURSE_LENGTHS = ["short", "medium", "long"] as const;
export type CourseLength = (typeof COURSE_LENGTHS)[number];

/**
 * A course's length as a learner picks it: up to 15 minutes, 15–30, over 30.
 * Judged on the whole minutes the card shows, so a card reading "15 phút"
 * is always in the first bucket.
 */
export function lengthOf(totalMinutes: number): CourseLength {
  if (totalMinutes <= 15) return "short";
  if (totalMinutes <= 30) return "medium";
  return "long";
}

export const SEARCH_MAX_LENGTH = 100;
export type CatalogQuery = { q?: string; convention?: string; language?: string; length?: CourseLength };

export function isFiltered(query: CatalogQuery): boolean {
  return Boolean(query.q || query.convention || query.language || query.length);
}

export type SearchableCourse = {
  title: string;
  titleEn: string | null;
  summary: string;
  summaryEn: string | null;
  language: string;
  totalSeconds: number;
  lessonTitles: string[];
};

export type SearchableConvention<C extends SearchableCourse> = {
  code: string;
  nameVi: string;
  nameEn: string | null;
  courses: C[];
};

function courseText(course: SearchableCourse, convention: SearchableConvention<SearchableCourse>): string {
  return foldForSearch(
    [
      course.title,
      course.titleEn,
      course.summary,
      course.summaryEn,
      convention.code,
      convention.nameVi,
      convention.nameEn,
      ...course.lessonTitles,
    ]
      .filter(Boolean)
      .join("\n"),
  );
}

/**
 * The conventions and courses that match `query`. Without a filter every
 * convention stays, even one with no course yet; with one, a convention is
 * shown only if a course of it matches (or it is the convention asked for).
 */
export function filterCatalog<C extends SearchableCourse, V extends SearchableConvention<C>>(
  conventions: V[],
  query: CatalogQuery,
): V[] {
  if (!isFiltered(query)) return conventions;
  const terms = queryTerms(query.q ?? "");
  const courseFilterActive = terms.length > 0 || Boolean(query.language || query.length);
  return conventions
    .filter((convention) => !query.convention || convention.code === query.convention)
    .map((convention) => ({
      ...convention,
      courses: convention.courses.filter(
        (course) =>
          (!query.language || course.language === query.language) &&
          (!query.length || lengthOf(minutes(course.totalSeconds)) === query.length) &&
          matchesTerms(courseText(course, convention), terms),
      ),
    }))
    .filter((convention) => !courseFilterActive || convention.courses.length > 0);
}
