// The learners that bench/progress.ts and bench/reports.ts send progress
// reports as: one published course of `lessons` lessons, and `count` enrolled
// learners with a session each and every lesson open in a view that began six
// hours ago, so the watch clock (2 × wall time since then) never refuses the
// benches' pace. Imported after the bench has set DATABASE_URL.
import type { Db } from "~/utils/db.server";

export type BenchLearner = { token: string; views: string[] };

export async function createBenchLearners(
  db: Db,
  options: { count: number; lessons: number; lessonSeconds: number; prefix: string },
): Promise<{ lessonIds: string[]; learners: BenchLearner[] }> {
  const { generateSessionToken, sessionIdFromToken } = await import("~/auth/session.server");
  const { count, lessons, lessonSeconds, prefix } = options;
  const convention = await db.convention.findUniqueOrThrow({ where: { code: "ICCPR" } });
  const course = await db.course.create({
    data: {
      code: `${prefix}-course`,
      conventionId: convention.id,
      language: "vi",
      title: "Bench",
      summary: "Bench",
      status: "PUBLISHED",
      lessons: {
        create: Array.from({ length: lessons }, (_, i) => ({
          slug: `l${i}`,
          position: i,
          title: `L${i}`,
          language: "vi",
          durationSeconds: lessonSeconds,
        })),
      },
    },
    include: { lessons: { orderBy: { position: "asc" } } },
  });
  const viewStart = new Date(Date.now() - 6 * 3600_000);
  const learners: BenchLearner[] = [];
  for (let i = 0; i < count; i++) {
    const user = await db.user.create({
      data: { email: `${prefix}${i}@example.vn`, name: `Bench ${i}`, passwordHash: "x" },
    });
    const token = generateSessionToken();
    await db.session.create({
      data: { id: sessionIdFromToken(token), userId: user.id, expiresAt: new Date(Date.now() + 86_400_000) },
    });
    await db.enrolment.create({ data: { userId: user.id, courseId: course.id } });
    const views = course.lessons.map((l) => `${prefix}${i}v${l.position}`);
    await db.lessonView.createMany({
      data: course.lessons.map((l, k) => ({ id: views[k]!, userId: user.id, lessonId: l.id, startedAt: viewStart })),
    });
    learners.push({ token, views });
  }
  return { lessonIds: course.lessons.map((l) => l.id), learners };
}
