import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

/** Everything a certificate states, read once for its page, its PDF and its credential. */
export type CertificateDetails = {
  id: string;
  code: string;
  /** Where anyone checks it: printed in full on the PDF and held by its QR code. */
  verifyUrl: string;
  learner: { id: string; name: string; email: string; locale: string };
  course: {
    id: string;
    code: string;
    title: string;
    titleEn: string | null;
    summary: string;
    summaryEn: string | null;
    language: string;
    lessonCount: number;
    /** Sum of the lessons' measured video lengths. */
    videoSeconds: number;
  };
  convention: { code: string; nameVi: string; nameEn: string };
  completedAt: Date;
  statusIndex: number | null;
  revocation: { at: Date; reason: string } | null;
  issuer: { platform: string; organisation: string; url: string };
};

export const CERTIFICATE_CODE = /^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/;

export function certificateUrl(code: string): string {
  return `${getEnv().publicUrl}/certificates/${code}`;
}

export async function getCertificateDetails(code: string): Promise<CertificateDetails | null> {
  if (!CERTIFICATE_CODE.test(code)) return null;
  const row = await db.courseCompletion.findUnique({
    where: { certificateCode: code },
    select: {
      id: true,
      certificateCode: true,
      completedAt: true,
      statusIndex: true,
      revokedAt: true,
      revokedReason: true,
      user: { select: { id: true, name: true, email: true, locale: true } },
      course: {
        select: {
          id: true,
          code: true,
          title: true,
          titleEn: true,
          summary: true,
          summaryEn: true,
          language: true,
          convention: { select: { code: true, nameVi: true, nameEn: true } },
          lessons: { select: { durationSeconds: true } },
        },
      },
    },
  });
  if (!row) return null;
  const env = getEnv();
  const { convention, lessons, ...course } = row.course;
  return {
    id: row.id,
    code: row.certificateCode,
    verifyUrl: certificateUrl(row.certificateCode),
    learner: row.user,
    course: {
      ...course,
      lessonCount: lessons.length,
      videoSeconds: Math.round(lessons.reduce((sum, lesson) => sum + (lesson.durationSeconds ?? 0), 0)),
    },
    convention,
    completedAt: row.completedAt,
    statusIndex: row.statusIndex,
    revocation: row.revokedAt ? { at: row.revokedAt, reason: row.revokedReason ?? "" } : null,
    issuer: { platform: "Tập huấn", organisation: env.ISSUER_NAME, url: env.publicUrl },
  };
}
