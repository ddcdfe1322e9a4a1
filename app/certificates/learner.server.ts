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

/** The learner's certificate for one course, or null before they complete it. */
export async function learnerCertificateFor(userId: string, courseId: string): Promise<LearnerCertificate | null> {
  const row = await db.courseCompletion.findUnique({ where: { userId_courseId: { userId, courseId } }, select });
  return row ? toCertificate(row) : null;
}
