// The watch-credit bound, as properties over the real progress path and the
// real database (docs/decisions/041-watch-credit.md):
//  - whatever anyone sends, over any lessons and views, in any order and at
//    any pace, the credit never exceeds 2 × the server's wall time, nor any
//    lesson's duration;
//  - an honest player (the browser's WatchTracker and ProgressReporter) at
//    0.5–2× with pauses, seeks, reloads, failed and delayed requests ends with
//    exactly the share it really played.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { createPublishedCourse } from "../../tests/helpers/fixtures";
import { coveredSeconds, mergeIntervals, type Interval } from "./intervals";
import { recordProgress } from "./progress.server";
import { memoryStore, ProgressReporter, type Answer } from "./progress-reporter";
import { MAX_PLAYBACK_RATE, PLAYBACK_RATES } from "./watch-credit";
import { startLessonView } from "./views.server";
import { WatchTracker } from "./watch-tracker";

const T0 = Date.UTC(2026, 5, 1);
const at = (ms: number) => new Date(T0 + ms);
const DURATIONS = [120, 200, 60];

let course: Awaited<ReturnType<typeof createPublishedCourse>>;
beforeAll(async () => {
  course = await createPublishedCourse({ durations: DURATIONS });
});

async function createEnrolledLearner() {
  const user = await db.user.create({ data: { email: `p-${randomUUID()}@example.vn`, name: "P", passwordHash: "x" } });
  await db.enrolment.create({ data: { userId: user.id, courseId: course.id } });
  return user.id;
}

async function credits(userId: string) {
  const rows = await db.lessonProgress.findMany({
    where: { userId },
    select: { lessonId: true, watchedSeconds: true },
  });
  return new Map(rows.map((r) => [r.lessonId, r.watchedSeconds]));
}

// ---------------------------------------------------------------- adversary

const range = fc
  .tuple(fc.double({ min: 0, max: 260, noNaN: true }), fc.double({ min: 0, max: 260, noNaN: true }))
  .map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));
const ranges = fc
  .array(range, { maxLength: 6 })
  .map((list) => mergeIntervals(list).map(([s, e]): [number, number] => [s, e]));

const step = fc.oneof(
  fc.record({ kind: fc.constant("view" as const), lesson: fc.nat({ max: DURATIONS.length - 1 }) }),
  fc.record({ kind: fc.constant("wait" as const), ms: fc.oneof(fc.nat({ max: 2_000 }), fc.nat({ max: 200_000 })) }),
  fc.record({
    kind: fc.constant("report" as const),
    // Any view, including another lesson's, or none at all.
    view: fc.nat({ max: 9 }),
    lesson: fc.nat({ max: DURATIONS.length - 1 }),
    intervals: ranges,
    position: fc.double({ min: 0, max: 260, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant("burst" as const),
    reports: fc.array(
      fc.record({ view: fc.nat({ max: 9 }), lesson: fc.nat({ max: DURATIONS.length - 1 }), intervals: ranges }),
      {
        minLength: 2,
        maxLength: 8,
      },
    ),
  }),
);

describe("watch credit against any sender", () => {
  it("never credits more than 2 × the server's wall time, nor more than a lesson lasts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const userId = await createEnrolledLearner();
        const views: { id: string; lesson: number }[] = [];
        let now = 0;
        const send = (view: number, lesson: number, intervals: [number, number][], position = 0) =>
          recordProgress(
            userId,
            {
              viewId: views[view % Math.max(1, views.length)]?.id ?? "none",
              lessonId: course.lessons[lesson]!.id,
              intervals,
              position,
            },
            at(now),
          );
        for (const s of steps) {
          if (s.kind === "view")
            views.push({
              id: (await startLessonView(userId, course.lessons[s.lesson]!.id, at(now)))!,
              lesson: s.lesson,
            });
          else if (s.kind === "wait") now += s.ms;
          else if (s.kind === "report") await send(s.view, s.lesson, s.intervals, s.position);
          else await Promise.all(s.reports.map((r) => send(r.view, r.lesson, r.intervals)));

          const credited = await credits(userId);
          const total = [...credited.values()].reduce((a, b) => a + b, 0);
          // Wall time since the first moment any of this learner's views existed.
          expect(total).toBeLessThanOrEqual((MAX_PLAYBACK_RATE * now) / 1000 + 1e-6);
          course.lessons.forEach((lesson, i) =>
            expect(credited.get(lesson.id) ?? 0).toBeLessThanOrEqual(DURATIONS[i]!),
          );
        }
      }),
      { numRuns: 100 },
    );
  }, 180_000);
});

// ---------------------------------------------------------------- honest viewer

const action = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("play" as const),
      seconds: fc.integer({ min: 1, max: 120 }),
      rate: fc.constantFrom(...PLAYBACK_RATES),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("pause" as const), seconds: fc.integer({ min: 1, max: 600 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("seek" as const), to: fc.double({ min: 0, max: 1, noNaN: true }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("reload" as const), loadMs: fc.integer({ min: 0, max: 3_000 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("offline" as const), requests: fc.integer({ min: 1, max: 6 }) }),
  },
);

const TICK_MS = 250;
const REPORT_EVERY_MS = 10_000;

describe("watch credit for an honest viewer", () => {
  it("credits exactly what was played, at any rate the player offers, through pauses, seeks, reloads and a flaky network", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: DURATIONS.length - 1 }),
        fc.array(action, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 4_000 }),
        async (lessonIndex, actions, networkDelayMs) => {
          const userId = await createEnrolledLearner();
          const lessonId = course.lessons[lessonIndex]!.id;
          const duration = DURATIONS[lessonIndex]!;
          let now = 0; // the browser's clock; requests reach the server networkDelayMs later
          let offline = 0;
          let media = 0;
          let sinceReport = 0;
          const played: Interval[] = [];

          const transport = {
            async send(viewId: string, intervals: Interval[]): Promise<Answer> {
              if (offline > 0) {
                offline--;
                throw new Error("offline");
              }
              const outcome = await recordProgress(
                userId,
                { viewId, lessonId, intervals: intervals as [number, number][], position: media },
                at(now + networkDelayMs),
              );
              return { status: outcome.ok ? 200 : outcome.status, body: outcome };
            },
            async startView() {
              return startLessonView(userId, lessonId, at(now + networkDelayMs));
            },
          };
          const browserStorage = memoryStore(); // lives across reloads, like localStorage
          const openPage = async () => {
            const tracker = new WatchTracker(() => now);
            // The lesson page starts the view as it loads, before anything plays.
            const viewId = (await startLessonView(userId, lessonId, at(now + networkDelayMs)))!;
            return {
              tracker,
              reporter: new ProgressReporter(
                tracker,
                viewId,
                transport,
                () => {},
                () => now,
                browserStorage,
              ),
            };
          };
          let page = await openPage();
          const advance = async (ms: number, playing: number | null) => {
            for (let t = 0; t < ms; t += TICK_MS) {
              now += TICK_MS;
              if (playing !== null && media < duration) {
                const from = media;
                media = Math.min(duration, media + (TICK_MS / 1000) * playing);
                played.push([from, media]);
                page.tracker.tick(media, playing);
                if (media >= duration) {
                  page.tracker.close(); // ended
                  await page.reporter.report();
                }
              }
              sinceReport += TICK_MS;
              if (sinceReport >= REPORT_EVERY_MS) {
                sinceReport = 0;
                await page.reporter.report();
              }
            }
          };

          for (const a of actions) {
            if (a.kind === "play") {
              page.tracker.tick(media, a.rate); // play starts where the playhead is
              await advance(a.seconds * 1000, a.rate);
              page.tracker.close(); // paused
              await page.reporter.report();
            } else if (a.kind === "pause") {
              await advance(a.seconds * 1000, null);
            } else if (a.kind === "seek") {
              page.tracker.close();
              media = a.to * duration;
            } else if (a.kind === "reload") {
              page.tracker.close();
              await page.reporter.report(true);
              now += a.loadMs;
              page = await openPage();
            } else {
              offline = a.requests;
            }
          }
          // The learner leaves the page open a while, as the player keeps reporting.
          offline = 0;
          await advance(120_000, null);

          const truth = coveredSeconds(played);
          const credited = (await credits(userId)).get(lessonId) ?? 0;
          // Stored ranges are rounded to 0.01 s.
          expect(Math.abs(credited - truth)).toBeLessThanOrEqual(0.01 * (mergeIntervals(played).length + 1));
        },
      ),
      { numRuns: 200 },
    );
  }, 180_000);
});
