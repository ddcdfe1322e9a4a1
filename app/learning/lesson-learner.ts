import * as z from "zod/mini";
import type { LearnerQuiz } from "./quiz.server";

// What the lesson page shows of the learner who asks: their view (started on
// the server as the page loads), progress, knowledge check and certificate.
// A lesson page kept rendered for everyone (app/learning/lesson-page.server.ts)
// carries none of it in its markup: server.js puts it in the page's
// `<script type="application/json" id="lesson-learner">` for each request,
// and the page reads it once hydrated. docs/decisions/175-lesson-page-kept-rendered.md.

export type LessonLearner = {
  viewId: string | null;
  learnerId: string;
  progress: { lastPosition: number; watchedPercent: number; completedAt: string | null };
  quiz: LearnerQuiz | null;
  certificate: { code: string } | null;
};

export const LESSON_LEARNER_ID = "lesson-learner";

/** The island as kept pages carry it, empty: server.js fills it in. */
export const EMPTY_LESSON_LEARNER = `<script type="application/json" id="${LESSON_LEARNER_ID}"></script>`;

/** The island's content: JSON that no `<` can end early (`</script>`, `<!--`). */
export function lessonLearnerJson(learner: LessonLearner): string {
  return JSON.stringify(learner).replace(/</g, "\\u003c");
}

// The envelope is checked; the quiz is the loader's own shape, written by
// this server into this page (the same trust as Remix's loader data).
const Island = z.object({
  viewId: z.nullable(z.string()),
  learnerId: z.string(),
  progress: z.object({
    lastPosition: z.number(),
    watchedPercent: z.number(),
    completedAt: z.nullable(z.string()),
  }),
  quiz: z.nullable(z.custom<LearnerQuiz>((value) => typeof value === "object" && value !== null)),
  certificate: z.nullable(z.object({ code: z.string() })),
});

/** The learner's part of a kept page, or null when the page has none. */
export function readLessonLearner(doc: Document): LessonLearner | null {
  const text = doc.getElementById(LESSON_LEARNER_ID)?.textContent;
  if (!text) return null;
  try {
    const parsed = Island.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
