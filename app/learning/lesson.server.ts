import { marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { parseSlideCues, splitSlides, transcriptParagraphs } from "~/catalog/slides";
import { getSql, isoInstantOf, statement, type Sql } from "~/db/sql.server";
import { db } from "~/utils/db.server";
import { parseStoredQuiz, publicQuestions } from "./quiz";
import { parseIntervals } from "./progress.server";
import { getLearnerQuiz } from "./quiz.server";
import { startLessonView } from "./views.server";
import { watchedPercent } from "./completion";

/** Markdown slides to HTML, keeping only presentational markup. */
export function renderSlide(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true });
  return sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags.concat(["h1", "h2", "img"]),
    allowedAttributes: { a: ["href", "title"], img: ["src", "alt", "title"] },
    allowedSchemes: ["https", "http", "mailto"],
    // Images only from the platform or inline: a remote one would be a
    // tracking pixel in every learner's browser (decks saved before the
    // check in catalog/slides.ts may still name one).
    allowedSchemesByTag: { img: ["data"] },
    allowProtocolRelative: false,
  });
}

// A deck's pages as HTML, by its Markdown: the same text always renders the
// same, and marked and sanitize-html cost more than the rest of the lesson
// page's loader together. The least recently used decks are dropped.
const MAX_RENDERED_DECKS = 200;
const renderedDecks = new Map<string, string[]>();

function renderedSlides(markdown: string): string[] {
  let pages = renderedDecks.get(markdown);
  if (pages) {
    renderedDecks.delete(markdown);
  } else {
    pages = splitSlides(markdown).map(renderSlide);
    if (renderedDecks.size >= MAX_RENDERED_DECKS) renderedDecks.delete(renderedDecks.keys().next().value!);
  }
  renderedDecks.set(markdown, pages);
  // A copy: the page's data is the caller's to change.
  return [...pages];
}

export async function publishedLessonExists(courseCode: string, slug: string): Promise<boolean> {
  return (await db.lesson.count({ where: { slug, course: { code: courseCode, status: "PUBLISHED" } } })) > 0;
}

export type LessonView = NonNullable<Awaited<ReturnType<typeof getLessonForLearner>>>;

/** The columns a lesson page shows; trainers' previews read the same. */
export const lessonContentSelect = {
  id: true,
  slug: true,
  title: true,
  titleEn: true,
  language: true,
  position: true,
  durationSeconds: true,
  slidesKind: true,
  slidesMarkdown: true,
  slidesAssetId: true,
  slidesAsset: { select: { pageCount: true } },
  slideCues: true,
  transcript: true,
  quiz: true,
  videoAsset: { select: { id: true, storage: true, status: true, muxPlaybackId: true, mimeType: true } },
  captions: { select: { language: true, label: true } },
} as const;

type LessonContentRow = {
  id: string;
  slug: string;
  title: string;
  titleEn: string | null;
  language: string;
  durationSeconds: number | null;
  slidesKind: string;
  slidesMarkdown: string | null;
  slidesAssetId: string | null;
  slidesAsset: { pageCount: number | null } | null;
  slideCues: string;
  transcript: string | null;
  quiz: string | null;
  videoAsset: {
    id: string;
    storage: "LOCAL" | "MUX";
    status: "PENDING" | "READY" | "ERRORED";
    muxPlaybackId: string | null;
    mimeType: string;
  } | null;
  captions: { language: string; label: string }[];
};

/** A lesson as the page renders it: slides as HTML pages or a PDF, the quiz without its answers. */
export function lessonContent(lesson: LessonContentRow) {
  const quiz = parseStoredQuiz(lesson.quiz);
  return {
    id: lesson.id,
    slug: lesson.slug,
    title: lesson.title,
    titleEn: lesson.titleEn,
    language: lesson.language,
    durationSeconds: lesson.durationSeconds ?? 0,
    video: lesson.videoAsset,
    slides:
      lesson.slidesKind === "MARKDOWN" && lesson.slidesMarkdown
        ? { kind: "html" as const, pages: renderedSlides(lesson.slidesMarkdown) }
        : lesson.slidesKind === "PDF" && lesson.slidesAssetId
          ? { kind: "pdf" as const, assetId: lesson.slidesAssetId, pageCount: lesson.slidesAsset?.pageCount ?? 1 }
          : null,
    cues: parseSlideCues(lesson.slideCues),
    captions: lesson.captions,
    transcript: lesson.transcript ? transcriptParagraphs(lesson.transcript) : [],
    quiz: quiz ? { passMark: quiz.passMark, questions: publicQuestions(quiz) } : null,
  };
}

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

// The lesson page's reads, on every page load: prepared statements rather
// than ORM calls (docs/decisions/105-progress-off-the-orm.md,
// 165-catalog-read-model.md). One row holds the lesson, its course, its media,
// and this learner's enrolment and progress.
const learnerLessonQuery = statement((sql: Sql, courseCode: string, slug: string, userId: string) =>
  sql.db
    .selectFrom("Lesson as l")
    .innerJoin("Course as c", "c.id", "l.courseId")
    .leftJoin("MediaAsset as v", "v.id", "l.videoAssetId")
    .leftJoin("MediaAsset as sa", "sa.id", "l.slidesAssetId")
    .leftJoin("Enrolment as e", (join) => join.onRef("e.courseId", "=", "c.id").on("e.userId", "=", userId))
    .leftJoin("LessonProgress as p", (join) => join.onRef("p.lessonId", "=", "l.id").on("p.userId", "=", userId))
    .select((eb) => [
      "l.id",
      "l.slug",
      "l.title",
      "l.titleEn",
      "l.language",
      "l.durationSeconds",
      "l.slidesKind",
      "l.slidesMarkdown",
      "l.slidesAssetId",
      "l.slideCues",
      "l.transcript",
      "l.quiz",
      "c.id as courseId",
      "c.code as courseCode",
      "c.title as courseTitle",
      "c.titleEn as courseTitleEn",
      "v.id as videoId",
      "v.storage as videoStorage",
      "v.status as videoStatus",
      "v.muxPlaybackId as videoMuxPlaybackId",
      "v.mimeType as videoMimeType",
      "sa.pageCount as slidesPageCount",
      "e.id as enrolmentId",
      "p.watchedIntervals",
      "p.lastPosition",
      isoInstantOf(sql, eb.ref("p.completedAt")).as("completedAt"),
    ])
    .where("c.code", "=", courseCode)
    .where("c.status", "=", "PUBLISHED")
    .where("l.slug", "=", slug),
);
const courseLessonsQuery = statement((sql: Sql, courseId: string) =>
  sql.db.selectFrom("Lesson").select(["slug", "title", "titleEn"]).where("courseId", "=", courseId).orderBy("position"),
);
const captionsQuery = statement((sql: Sql, lessonId: string) =>
  sql.db.selectFrom("LessonCaption").select(["language", "label"]).where("lessonId", "=", lessonId).orderBy("id"),
);

/**
 * Everything the lesson page shows. Learners must be enrolled in the course;
 * null means "no such published lesson" (a 404), "not enrolled" is reported
 * separately so the page can offer to enrol.
 */
export async function getLessonForLearner(courseCode: string, slug: string, userId: string, sql: Sql = getSql()) {
  const row = await sql.first(learnerLessonQuery(sql, courseCode, slug, userId));
  if (!row) return null;
  const [lessons, captions] = await Promise.all([
    sql.all(courseLessonsQuery(sql, row.courseId)),
    sql.all(captionsQuery(sql, row.id)),
  ]);
  const lesson: LessonContentRow = {
    id: row.id,
    slug: row.slug,
    title: row.title,
    titleEn: row.titleEn,
    language: row.language,
    durationSeconds: row.durationSeconds === null ? null : Number(row.durationSeconds),
    slidesKind: row.slidesKind,
    slidesMarkdown: row.slidesMarkdown,
    slidesAssetId: row.slidesAssetId,
    slidesAsset: row.slidesAssetId === null ? null : { pageCount: row.slidesPageCount },
    slideCues: row.slideCues,
    transcript: row.transcript,
    quiz: row.quiz,
    videoAsset:
      row.videoId === null
        ? null
        : {
            id: row.videoId,
            storage: row.videoStorage as "LOCAL" | "MUX",
            status: row.videoStatus as "PENDING" | "READY" | "ERRORED",
            muxPlaybackId: row.videoMuxPlaybackId,
            mimeType: row.videoMimeType!,
          },
    captions,
  };
  const course = {
    id: row.courseId,
    code: row.courseCode,
    title: row.courseTitle,
    titleEn: row.courseTitleEn,
    lessons,
  };
  const enrolled = row.enrolmentId !== null;
  // Only an enrolled learner gets a draw and a view: making one writes a row.
  const quiz = enrolled ? await getLearnerQuiz(userId, lesson.id, lesson.quiz, new Date(), sql) : null;
  const viewId = enrolled ? await startLessonView(userId, lesson.id, new Date(), sql) : null;
  // The page gets this learner's draw, never the whole question bank (read
  // above by getLearnerQuiz: not parsed a second time here).
  const { quiz: _bank, ...content } = lessonContent({ ...lesson, quiz: null });
  const intervals = row.watchedIntervals === null ? [] : parseIntervals(row.watchedIntervals);
  const duration = lesson.durationSeconds ?? 0;
  const index = lessons.findIndex((l) => l.slug === lesson.slug);
  return {
    enrolled,
    viewId,
    lesson: content,
    quiz,
    course,
    previous: index > 0 ? lessons[index - 1]! : null,
    next: index >= 0 && index < lessons.length - 1 ? lessons[index + 1]! : null,
    progress: {
      lastPosition: row.lastPosition === null ? 0 : Number(row.lastPosition),
      watchedPercent: watchedPercent(intervals, duration),
      completedAt: date(row.completedAt),
    },
  };
}

export type VisitorLessonView = NonNullable<Awaited<ReturnType<typeof getPreviewLessonForVisitor>>>;

/**
 * A free-preview lesson of a published course as a visitor without an account
 * sees it: the video, slides, captions and transcript; of the knowledge check
 * only that there is one (its questions are for enrolled learners' draws), and
 * no view, no progress. Null when the lesson is not a preview of a published course.
 */
export async function getPreviewLessonForVisitor(courseCode: string, slug: string) {
  const lesson = await db.lesson.findFirst({
    where: { slug, isPreview: true, course: { code: courseCode, status: "PUBLISHED" } },
    select: {
      ...lessonContentSelect,
      course: {
        select: {
          id: true,
          code: true,
          title: true,
          titleEn: true,
          lessons: {
            orderBy: { position: "asc" },
            select: { slug: true, title: true, titleEn: true, isPreview: true },
          },
        },
      },
    },
  });
  if (!lesson) return null;
  const { quiz, ...content } = lessonContent(lesson);
  const lessons = lesson.course.lessons;
  const index = lessons.findIndex((l) => l.slug === lesson.slug);
  // Only other previews are a visitor's next step; the rest of the course waits behind enrolment.
  const previews = lessons.filter((l, i) => l.isPreview && i !== index);
  return {
    lesson: content,
    hasQuiz: quiz !== null,
    course: {
      code: lesson.course.code,
      title: lesson.course.title,
      titleEn: lesson.course.titleEn,
      lessonCount: lessons.length,
    },
    otherPreviews: previews.map(({ slug: s, title, titleEn }) => ({ slug: s, title, titleEn })),
  };
}
