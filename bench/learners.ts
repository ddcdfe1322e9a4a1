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
  const expiresAt = new Date(Date.now() + 86_400_000);
  const learners: BenchLearner[] = [];
  // In bulk, a thousand at a time: bench/reports.ts makes ten thousand players.
  for (let from = 0; from < count; from += 1_000) {
    const numbers = Array.from({ length: Math.min(1_000, count - from) }, (_, k) => from + k);
    const users = await db.user.createManyAndReturn({
      data: numbers.map((i) => ({ email: `${prefix}${i}@example.vn`, name: `Bench ${i}`, passwordHash: "x" })),
      select: { id: true, email: true },
    });
    const idOf = new Map(users.map((u) => [u.email, u.id]));
    const part = numbers.map((i) => ({
      userId: idOf.get(`${prefix}${i}@example.vn`)!,
      token: generateSessionToken(),
      views: course.lessons.map((l) => `${prefix}${i}v${l.position}`),
    }));
    await db.session.createMany({
      data: part.map((p) => ({ id: sessionIdFromToken(p.token), userId: p.userId, expiresAt })),
    });
    await db.enrolment.createMany({ data: part.map((p) => ({ userId: p.userId, courseId: course.id })) });
    await db.lessonView.createMany({
      data: part.flatMap((p) =>
        course.lessons.map((l, k) => ({ id: p.views[k]!, userId: p.userId, lessonId: l.id, startedAt: viewStart })),
      ),
    });
    for (const p of part) learners.push({ token: p.token, views: p.views });
  }
  return { lessonIds: course.lessons.map((l) => l.id), learners };
}
