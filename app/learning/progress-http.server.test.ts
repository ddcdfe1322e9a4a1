import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { signedInLearnerWatching } from "../../tests/helpers/fixtures";
import { SESSION_TTL_MS, sessionIdFromToken } from "~/auth/session.server";
import { handleProgressReport, MAX_PROGRESS_BODY_BYTES } from "./progress-http.server";
import { recordProgress } from "./progress.server";
import { loadProgressContext } from "./progress-store.server";

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

  // The session is read in the same query as the report's context: every
  // state of it must still be judged as validateSessionToken judges it.
  it("refuses a report on an expired session, and deletes the session", async () => {
    const { cookie, lessonId, viewId, userId } = await signedInLearnerWatching();
    const sessionId = sessionIdFromToken(cookie.split("=")[1]!);
    await db.session.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const body = JSON.stringify({ viewId, lessonId, intervals: [[0, 10]], position: 10 });
    expect((await handleProgressReport({ cookie, contentType: "application/json", body })).status).toBe(401);
    expect(await db.session.count({ where: { id: sessionId } })).toBe(0);
    expect(await db.lessonProgress.count({ where: { userId } })).toBe(0);
  });

  it("refuses a report from a deactivated account, whatever the body", async () => {
    const { cookie, lessonId, viewId, userId } = await signedInLearnerWatching();
    await db.user.update({ where: { id: userId }, data: { deactivatedAt: new Date() } });
    const good = { viewId, lessonId, intervals: [[0, 10]], position: 10 };
    for (const body of [
      JSON.stringify(good),
      JSON.stringify({ ...good, lessonId: "unknown" }),
      JSON.stringify({ ...good, position: -1 }),
      "{not json",
    ]) {
      expect((await handleProgressReport({ cookie, contentType: "application/json", body })).status, body).toBe(401);
    }
    expect(await db.lessonProgress.count({ where: { userId } })).toBe(0);
  });

  it("extends a session in its second half, as any request does", async () => {
    const { cookie, lessonId, viewId } = await signedInLearnerWatching();
    const sessionId = sessionIdFromToken(cookie.split("=")[1]!);
    const soon = new Date(Date.now() + 60 * 60 * 1000);
    await db.session.update({ where: { id: sessionId }, data: { expiresAt: soon } });
    const body = JSON.stringify({ viewId, lessonId, intervals: [[0, 10]], position: 10 });
    expect((await handleProgressReport({ cookie, contentType: "application/json", body })).status).toBe(200);
    const { expiresAt } = await db.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + SESSION_TTL_MS - 60_000);
  });

  it("credits a report whose context was read before another report was written", async () => {
    const { lessonId, viewId, userId } = await signedInLearnerWatching();
    const stale = await loadProgressContext(userId, lessonId, viewId);
    const first = await recordProgress(userId, { viewId, lessonId, intervals: [[0, 10]], position: 10 });
    expect(first.ok).toBe(true);
    // Handed the read from before the first write: the versioned write refuses
    // it, and the report is read again and merged with what is stored.
    const second = await recordProgress(
      userId,
      { viewId, lessonId, intervals: [[20, 30]], position: 30 },
      undefined,
      stale,
    );
    expect(second).toMatchObject({ ok: true, watchedPercent: 10 });
    const stored = await db.lessonProgress.findFirstOrThrow({ where: { userId, lessonId } });
    expect(JSON.parse(stored.watchedIntervals)).toEqual([
      [0, 10],
      [20, 30],
    ]);
  });
});
