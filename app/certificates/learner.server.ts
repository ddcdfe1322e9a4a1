import { getSql, isoInstantOf, statement, type Sql } from "~/db/sql.server";
import { db } from "~/utils/db.server";

// A learner's own certificates, for My learning and the lesson page. Every
// read takes the learner's id: nobody lists another person's certificates.

export type LearnerCertificate = {
  code: string;
  completedAt: Date;
  revokedAt: Date | null;
  course: { code: string; title: string; titleEn: string | null; convention: string };
};

const select = {
  certificateCode: true,
  completedAt: true,
  revokedAt: true,
  course: { select: { code: true, title: true, titleEn: true, convention: { select: { code: true } } } },
} as const;

type Row = {
  certificateCode: string;
  completedAt: Date;
  revokedAt: Date | null;
  course: { code: string; title: string; titleEn: string | null; convention: { code: string } };
};

function toCertificate(row: Row): LearnerCertificate {
  return {
    code: row.certificateCode,
    completedAt: row.completedAt,
    revokedAt: row.revokedAt,
    course: {
      code: row.course.code,
      title: row.course.title,
      titleEn: row.course.titleEn,
      convention: row.course.convention.code,
    },
  };
}

/** The learner's certificates, newest first. */
export async function listLearnerCertificates(userId: string): Promise<LearnerCertificate[]> {
  const rows = await db.courseCompletion.findMany({ where: { userId }, orderBy: { completedAt: "desc" }, select });
  return rows.map(toCertificate);
}

// On every lesson page load: a prepared statement (docs/decisions/165-catalog-read-model.md).
const certificateQuery = statement((sql: Sql, userId: string, courseId: string) =>
  sql.db
    .selectFrom("CourseCompletion as cc")
    .innerJoin("Course as c", "c.id", "cc.courseId")
    .innerJoin("Convention as cv", "cv.id", "c.conventionId")
    .select((eb) => [
      "cc.certificateCode",
      isoInstantOf(sql, eb.ref("cc.completedAt")).as("completedAt"),
      isoInstantOf(sql, eb.ref("cc.revokedAt")).as("revokedAt"),
      "c.code",
      "c.title",
      "c.titleEn",
      "cv.code as convention",
    ])
    .where("cc.userId", "=", userId)
    .where("cc.courseId", "=", courseId),
);

/** The learner's certificate for one course, or null before they complete it. */
export async function learnerCertificateFor(
  userId: string,
  courseId: string,
  sql: Sql = getSql(),
): Promise<LearnerCertificate | null> {
  const row = await sql.first(certificateQuery(sql, userId, courseId));
  if (!row) return null;
  return {
    code: row.certificateCode,
    completedAt: new Date(row.completedAt),
    revokedAt: row.revokedAt === null ? null : new Date(row.revokedAt),
    course: { code: row.code, title: row.title, titleEn: row.titleEn, convention: row.convention },
  };
}
