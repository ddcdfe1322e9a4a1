import type { SessionUser } from "~/auth/auth.server";
import { filterCatalog, type CatalogQuery } from "./search";
import type { CatalogParam } from "./search-params";
import { watchedPercentOf } from "./watched-percent";
import { db } from "~/utils/db.server";
import { getSql, isoInstantOf, statement, type Sql } from "~/db/sql.server";
import { catalogVersion } from "./catalog-version.server";

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

// The catalog's rows as stored, read with four prepared statements
// (docs/decisions/105-progress-off-the-orm.md) and kept under the catalog's
// version: a page only reads the version (docs/decisions/165-catalog-read-model.md).
const conventionRows = statement((sql: Sql) =>
  sql.db
    .selectFrom("Convention")
    .select(["id", "code", "nameVi", "nameEn", "adoptedYear", "vietnamPartyYear", "vietnamPartyMode"])
    .orderBy("position")
    .orderBy("id"),
);
const leadBodyRows = statement((sql: Sql) =>
  sql.db
    .selectFrom("ConventionLeadBody as lb")
    .innerJoin("Agency as a", "a.id", "lb.agencyId")
    .select((eb) => [
      "lb.conventionId",
      "lb.isCoLead",
      isoInstantOf(sql, eb.ref("lb.validFrom")).as("validFrom"),
      isoInstantOf(sql, eb.ref("lb.validTo")).as("validTo"),
      "a.nameVi",
      "a.nameEn",
    ])
    .orderBy("lb.isCoLead")
    .orderBy("lb.id"),
);
const publishedCourseRows = statement((sql: Sql) =>
  sql.db
    .selectFrom("Course")
    .select(["id", "conventionId", "code", "title", "titleEn", "summary", "summaryEn", "language"])
    .where("status", "=", "PUBLISHED")
    .orderBy("publishedAt")
    .orderBy("id"),
);
const publishedLessonRows = statement((sql: Sql) =>
  sql.db
    .selectFrom("Lesson as l")
    .innerJoin("Course as c", "c.id", "l.courseId")
    .select(["l.courseId", "l.durationSeconds", "l.title", "l.titleEn"])
    .where("c.status", "=", "PUBLISHED")
    .orderBy("l.courseId")
    .orderBy("l.position"),
);

type StoredLeadBody = LeadBody & { validFrom: Date; validTo: Date | null };
type StoredCatalog = Awaited<ReturnType<typeof readCatalog>>;

async function readCatalog(sql: Sql) {
  const [conventions, leadBodies, courses, lessons] = await Promise.all([
    sql.all(conventionRows(sql)),
    sql.all(leadBodyRows(sql)),
    sql.all(publishedCourseRows(sql)),
    sql.all(publishedLessonRows(sql)),
  ]);
  const lessonsOf = groupBy(lessons, (l) => l.courseId);
  const coursesOf = groupBy(courses, (c) => c.conventionId);
  const bodiesOf = groupBy(
    leadBodies.map((b): StoredLeadBody & { conventionId: string } => ({
      conventionId: b.conventionId,
      isCoLead: Boolean(b.isCoLead),
      validFrom: new Date(b.validFrom),
      validTo: b.validTo === null ? null : new Date(b.validTo),
      agency: { nameVi: b.nameVi, nameEn: b.nameEn },
    })),
    (b) => b.conventionId,
  );
  return conventions.map(({ id, ...convention }) => ({
    ...convention,
    storedLeadBodies: (bodiesOf.get(id) ?? []).map(({ conventionId: _, ...body }) => body),
    courses: (coursesOf.get(id) ?? []).map(({ id: courseId, conventionId: _, ...course }) => {
      const own = lessonsOf.get(courseId) ?? [];
      return {
        ...course,
        lessonCount: own.length,
        totalSeconds: own.reduce((sum, l) => sum + (l.durationSeconds ?? 0), 0),
        lessonTitles: own.flatMap((l) => (l.titleEn ? [l.title, l.titleEn] : [l.title])),
      };
    }),
  }));
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

// The process's copy, and the version it was read at. Two requests that miss
// at once share one read.
let kept: { version: number; catalog: Promise<StoredCatalog> } | null = null;

async function storedCatalog(sql: Sql): Promise<{ version: number; catalog: StoredCatalog }> {
  const version = await catalogVersion(sql);
  if (kept?.version !== version) {
    const catalog = readCatalog(sql);
    kept = { version, catalog };
    catalog.catch(() => {
      if (kept?.catalog === catalog) kept = null;
    });
  }
  return { version, catalog: await kept.catalog };
}

/**
 * The catalog's version and the next instant the lead bodies in force change
 * after `now` (null when none will): what a page built from `listCatalog(now)`
 * is valid for.
 */
export async function catalogValidity(now = new Date(), sql: Sql = getSql()) {
  const { version, catalog } = await storedCatalog(sql);
  let until: Date | null = null;
  for (const convention of catalog) {
    for (const body of convention.storedLeadBodies) {
      for (const edge of [body.validFrom, body.validTo]) {
        if (edge && edge > now && (!until || edge < until)) until = edge;
      }
    }
  }
  return { version, until };
}

/** The public catalog: every convention, its lead bodies today and its published courses. */
export async function listCatalog(now = new Date(), sql: Sql = getSql()) {
  const { catalog } = await storedCatalog(sql);
  return catalog.map(({ storedLeadBodies, ...convention }) => {
    const today = inForce(storedLeadBodies, now);
    const decision = inForce(storedLeadBodies, DECISION_DATE);
    return {
      ...convention,
      leadBodies: today,
      decisionLeadBodies: sameBodies(today, decision) ? [] : decision,
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

function inForce(bodies: readonly StoredLeadBody[], on: Date): LeadBody[] {
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
