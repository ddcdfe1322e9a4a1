import { z } from "zod";
import { SCHEME_START } from "~/catalog/conventions";
import { parseIsoDay } from "./dates";

// The "as of" date of the coverage pages, the export and the report CLI. A
// date that cannot be used is said so, never quietly read as today: a
// coordinator who asked for 30 February, next year or 2019 must not take
// today's figures for the ones they asked for.

export const SCHEME_START_DAY = parseIsoDay(SCHEME_START)!;

export const AS_OF_PROBLEMS = ["unreadable", "future", "beforeStart"] as const;
export type AsOfProblem = (typeof AS_OF_PROBLEMS)[number];

/** An ISO date (YYYY-MM-DD) from the scheme's start to `today`, as a day number; the issue message is the problem. */
export function asOfSchema(today: number) {
  return z.string().transform((value, ctx): number => {
    const day = parseIsoDay(value.trim());
    const problem: AsOfProblem | null =
      day === null ? "unreadable" : day > today ? "future" : day < SCHEME_START_DAY ? "beforeStart" : null;
    if (problem) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
      return z.NEVER;
    }
    return day!;
  });
}

export type AsOf = { day: number; problem: null } | { day: null; problem: AsOfProblem };

/** Absent or empty: today. Otherwise the date asked for, or why it cannot be used. */
export function parseAsOf(raw: string | null | undefined, today: number): AsOf {
  if (raw === null || raw === undefined || raw.trim() === "") return { day: today, problem: null };
  const parsed = asOfSchema(today).safeParse(raw);
  if (parsed.success) return { day: parsed.data, problem: null };
  return { day: null, problem: parsed.error.issues[0]!.message as AsOfProblem };
}
