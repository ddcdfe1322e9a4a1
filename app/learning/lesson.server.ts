import { marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { parseSlideCues, splitSlides, transcriptParagraphs } from "~/catalog/slides";
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
        ? { kind: "html" as const, pages: splitSlides(lesson.slidesMarkdown).map(renderSlide) }
        : lesson.slidesKind === "PDF" && lesson.slidesAssetId
          ? { kind: "pdf" as const, assetId: lesson.slidesAssetId, pageCount: lesson.slidesAsset?.pageCount ?? 1 }
          : null,
    cues: parseSlideCues(lesson.slideCues),
    captions: lesson.captions,
    transcript: lesson.transcript ? transcriptParagraphs(lesson.transcript) : [],
    quiz: quiz ? { passMark: quiz.passMark, questions: publicQuestions(quiz) } : null,
  };
}

/**
 * Everything the lesson page shows. Learners must be enrolled in the course;
 * null means "no such published lesson" (a 404), "not enrolled" is reported
 * separately so the page can offer to enrol.
 */
export async function getLessonForLearner(courseCode: string, slug: string, userId: string) {
  const lesson = await db.lesson.findFirst({
    where: { slug, course: { code: courseCode, status: "PUBLISHED" } },
    select: {
      ...lessonContentSelect,
      course: {
        select: {
          id: true,
          code: true,
          title: true,
          titleEn: true,
          lessons: { orderBy: { position: "asc" }, select: { slug: true, title: true, titleEn: true } },
        },
      },
    },
  });
  if (!lesson) return null;
  const [enrolment, progress] = await Promise.all([
    db.enrolment.findUnique({
      where: { userId_courseId: { userId, courseId: lesson.course.id } },
      select: { id: true },
    }),
    db.lessonProgress.findUnique({
      where: { userId_lessonId: { userId, lessonId: lesson.id } },
      select: { watchedIntervals: true, lastPosition: true, completedAt: true },
    }),
  ]);
  // Only an enrolled learner gets a draw and a view: making one writes a row.
  const quiz = enrolment ? await getLearnerQuiz(userId, lesson.id, lesson.quiz) : null;
  const viewId = enrolment ? await startLessonView(userId, lesson.id) : null;
  // The page gets this learner's draw, never the whole question bank.
  const { quiz: _bank, ...content } = lessonContent(lesson);
  const intervals = progress ? parseIntervals(progress.watchedIntervals) : [];
  const duration = lesson.durationSeconds ?? 0;
  const index = lesson.course.lessons.findIndex((l) => l.slug === lesson.slug);
  return {
    enrolled: enrolment !== null,
    viewId,
    lesson: content,
    quiz,
    course: lesson.course,
    previous: index > 0 ? lesson.course.lessons[index - 1]! : null,
    next: index >= 0 && index < lesson.course.lessons.length - 1 ? lesson.course.lessons[index + 1]! : null,
    progress: {
      lastPosition: progress?.lastPosition ?? 0,
      watchedPercent: watchedPercent(intervals, duration),
      completedAt: progress?.completedAt ?? null,
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
