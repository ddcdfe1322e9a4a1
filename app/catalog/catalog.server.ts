import type { SessionUser } from "~/auth/auth.server";
import { filterCatalog, type CatalogQuery } from "./search";
import type { CatalogParam } from "./search-params";
import { watchedPercentOf } from "./watched-percent";
import { db } from "~/utils/db.server";

/** Lead bodies in force on `on`: history rows whose window contains the date. */
function leadBodiesOn(on: Date) {
  return {
    where: { validFrom: { lte: on }, OR: [{ validTo: null }, { validTo: { gt: on } }] },
    orderBy: { isCoLead: "asc" as const },
    select: { isCoLead: true, agency: { select: { nameVi: true, nameEn: true } } },
  };
}

// The date of Decision 1079/QĐ-TTg: the lead bodies it names are shown
// beside today's when a reorganisation has changed them.
const DECISION_DATE = new Date("2022-09-14T00:00:00Z");

type LeadBody = { isCoLead: boolean; agency: { nameVi: string; nameEn: string | null } };
const sameBodies = (a: LeadBody[], b: LeadBody[]) =>
  a.length === b.length && a.every((x, i) => x.agency.nameVi === b[i]?.agency.nameVi && x.isCoLead === b[i]?.isCoLead);

/** The public catalog: every convention, its lead bodies today and its published courses. */
export async function listCatalog(now = new Date()) {
  const conventions = await db.convention.findMany({
    orderBy: { position: "asc" },
    select: {
      id: true,
      code: true,
      nameVi: true,
      nameEn: true,
      adoptedYear: true,
      vietnamPartyYear: true,
      vietnamPartyMode: true,
      leadBodies: {
        orderBy: { isCoLead: "asc" },
        select: { isCoLead: true, validFrom: true, validTo: true, agency: { select: { nameVi: true, nameEn: true } } },
      },
      courses: {
        where: { status: "PUBLISHED" },
        orderBy: { publishedAt: "asc" },
        select: {
          code: true,
          title: true,
          titleEn: true,
          summary: true,
          summaryEn: true,
          language: true,
          lessons: { orderBy: { position: "asc" }, select: { durationSeconds: true, title: true, titleEn: true } },
        },
      },
    },
  });
  return conventions.map(({ courses, leadBodies, ...convention }) => {
    const today = inForce(leadBodies, now);
    const decision = inForce(leadBodies, DECISION_DATE);
    return {
      ...convention,
      leadBodies: today,
      decisionLeadBodies: sameBodies(today, decision) ? [] : decision,
      courses: courses.map(({ lessons, ...course }) => ({
        ...course,
        lessonCount: lessons.length,
        totalSeconds: lessons.reduce((sum, l) => sum + (l.durationSeconds ?? 0), 0),
        lessonTitles: lessons.flatMap((l) => (l.titleEn ? [l.title, l.titleEn] : [l.title])),
      })),
    };
  });
}

/**
 * The catalog narrowed by a visitor's query, with the filters' choices: every
 * convention, and the languages published courses are in. A language no published course is
 * in is dropped and named in `ignored`, like any other value the URL got wrong.
 */
export async function searchCatalog(query: CatalogQuery, ignored: CatalogParam[] = [], now = new Date()) {
  const catalog = await listCatalog(now);
  const languages = [...new Set(catalog.flatMap((c) => c.courses.map((course) => course.language)))].sort();
  const applied = { ...query };
  const dropped = [...ignored];
  if (applied.language && !languages.includes(applied.language)) {
    delete applied.language;
    dropped.push("language");
  }
  const conventions = filterCatalog(catalog, applied).map((convention) => ({
    ...convention,
    // Lesson titles are searched, not shown: the page does not need them.
    courses: convention.courses.map(({ lessonTitles: _, ...course }) => course),
  }));
  return {
    conventions,
    courseCount: conventions.reduce((sum, c) => sum + c.courses.length, 0),
    choices: { conventions: catalog.map(({ code, nameVi, nameEn }) => ({ code, nameVi, nameEn })), languages },
    query: applied,
    ignored: dropped,
  };
}

function inForce<T extends LeadBody & { validFrom: Date; validTo: Date | null }>(bodies: T[], on: Date): LeadBody[] {
  return bodies
    .filter((b) => b.validFrom <= on && (b.validTo === null || b.validTo > on))
    .map(({ isCoLead, agency }) => ({ isCoLead, agency }));
}

/** A published course as a visitor sees it, with the learner's own progress when signed in. */
export async function getCourseForVisitor(code: string, user: SessionUser | null) {
  const course = await db.course.findFirst({
    where: { code, status: "PUBLISHED" },
    select: {
      id: true,
      code: true,
      title: true,
      titleEn: true,
      summary: true,
      summaryEn: true,
      language: true,
      coverAssetId: true,
      convention: {
        select: {
          code: true,
          nameVi: true,
          nameEn: true,
          vietnamPartyYear: true,
          leadBodies: leadBodiesOn(new Date()),
        },
      },
      lessons: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          slug: true,
          title: true,
          titleEn: true,
          language: true,
          durationSeconds: true,
          isPreview: true,
          quiz: true,
          captions: { select: { language: true } },
        },
      },
    },
  });
  if (!course) return null;
  const [enrolment, progress, completion] = user
    ? await Promise.all([
        db.enrolment.findUnique({
          where: { userId_courseId: { userId: user.id, courseId: course.id } },
          select: { enrolledAt: true },
        }),
        db.lessonProgress.findMany({
          where: { userId: user.id, lesson: { courseId: course.id } },
          select: { lessonId: true, watchedSeconds: true, completedAt: true },
        }),
        db.courseCompletion.findUnique({
          where: { userId_courseId: { userId: user.id, courseId: course.id } },
          select: { completedAt: true, certificateCode: true },
        }),
      ])
    : [null, [], null];
  const byLesson = new Map(progress.map((p) => [p.lessonId, p]));
  return {
    ...course,
    lessons: course.lessons.map(({ quiz, captions, ...lesson }) => {
      const p = byLesson.get(lesson.id);
      return {
        ...lesson,
        hasQuiz: quiz !== null,
        captionLanguages: captions.map((c) => c.language),
        watchedPercent: p ? watchedPercentOf(p.watchedSeconds, lesson.durationSeconds) : 0,
        completedAt: p?.completedAt ?? null,
      };
    }),
    enrolledAt: enrolment?.enrolledAt ?? null,
    completion,
  };
}

export async function enrol(userId: string, courseCode: string) {
  const course = await db.course.findFirst({ where: { code: courseCode, status: "PUBLISHED" }, select: { id: true } });
  if (!course) return null;
  return db.enrolment.upsert({
    where: { userId_courseId: { userId, courseId: course.id } },
    create: { userId, courseId: course.id },
    update: {},
  });
}

/** A lesson's caption track (WebVTT) in one language; the caller has checked the lesson may be seen. */
export async function lessonCaptionVtt(lessonId: string, language: string): Promise<string | null> {
  const caption = await db.lessonCaption.findUnique({
    where: { lessonId_language: { lessonId, language } },
    select: { vtt: true },
  });
  return caption?.vtt ?? null;
}
