import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { signedInLearnerWatching } from "../../tests/helpers/fixtures";
import { handleProgressReport, MAX_PROGRESS_BODY_BYTES } from "./progress-http.server";

describe("handleProgressReport", () => {
  it("stores a good report", async () => {
    const { cookie, lessonId, viewId, userId } = await signedInLearnerWatching();
    const body = JSON.stringify({ viewId, lessonId, intervals: [[0, 10]], position: 10 });
    const result = await handleProgressReport({ cookie, contentType: "application/json", body });
    expect(result).toEqual({
      status: 200,
      body: { ok: true, watchedPercent: 5, completed: false, courseCompleted: false },
    });
    expect(await db.lessonProgress.count({ where: { userId } })).toBe(1);
  });

  it("refuses bad requests with a 4xx and stores nothing", async () => {
    const { cookie, lessonId, viewId, userId } = await signedInLearnerWatching();
    const good = { viewId, lessonId, intervals: [[0, 10]], position: 10 };
    const cases: [Parameters<typeof handleProgressReport>[0], number][] = [
      [{ cookie: null, contentType: "application/json", body: JSON.stringify(good) }, 401],
      [
        {
          cookie: "th_session=abcdefghijklmnopqrstuvwxyz234567",
          contentType: "application/json",
          body: JSON.stringify(good),
        },
        401,
      ],
      [{ cookie, contentType: "text/plain", body: JSON.stringify(good) }, 415],
      [{ cookie, contentType: "application/json", body: "{not json" }, 400],
      [{ cookie, contentType: "application/json", body: JSON.stringify({ ...good, position: -1 }) }, 400],
      [{ cookie, contentType: "application/json", body: JSON.stringify({ ...good, extra: 1 }) }, 400],
      [
        {
          cookie,
          contentType: "application/json",
          body: JSON.stringify({ ...good, pad: "x".repeat(MAX_PROGRESS_BODY_BYTES) }),
        },
        413,
      ],
      [{ cookie, contentType: "application/json", body: JSON.stringify({ ...good, lessonId: "unknown" }) }, 404],
      [{ cookie, contentType: "application/json", body: JSON.stringify({ ...good, intervals: [[0, 500]] }) }, 422],
      [{ cookie, contentType: "application/json", body: JSON.stringify({ ...good, intervals: [[0, 180]] }) }, 422],
      [{ cookie, contentType: "application/json", body: JSON.stringify({ ...good, viewId: "someone-elses" }) }, 422],
    ];
    for (const [input, status] of cases) {
      expect((await handleProgressReport(input)).status, input.body.slice(0, 60)).toBe(status);
    }
    expect(await db.lessonProgress.count({ where: { userId } })).toBe(0);
  });
});
