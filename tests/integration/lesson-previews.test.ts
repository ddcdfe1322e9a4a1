// Free previews: a visitor without an account plays a published course's
// preview lessons, records nothing, and is sent back safely after signing up.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { handleProgressReport } from "~/learning/progress-http.server";
import * as lessonRoute from "~/routes/courses.$courseCode.$lessonSlug";
import * as coursePage from "~/routes/courses.$courseCode._index";
import * as signupPage from "~/routes/signup";
import { db } from "~/utils/db.server";
import { createEnrolment, createLearner, createPublishedCourse } from "../helpers/fixtures";

async function cookieOf(userId: string) {
  const token = generateSessionToken();
  await createSession(token, userId);
  return `${SESSION_COOKIE}=${token}`;
}

async function visit(courseCode: string, lessonSlug: string, cookie?: string) {
  const request = new Request(`http://localhost/courses/${courseCode}/${lessonSlug}`, {
    headers: cookie ? { Cookie: cookie } : {},
  });
  try {
    return await lessonRoute.loader({ request, params: { courseCode, lessonSlug }, context: {} } as LoaderFunctionArgs);
  } catch (thrown) {
    if (thrown instanceof Response) return `${thrown.status} ${thrown.headers.get("Location") ?? ""}`.trim();
    throw thrown;
  }
}

describe("a visitor and a free preview", () => {
  it("plays a preview lesson without a view or the check's questions; other lessons ask to sign in", async () => {
    const course = await createPublishedCourse({ quizOn: [0] });
    const [first, second] = await db.lesson.findMany({ where: { courseId: course.id }, orderBy: { position: "asc" } });
    await db.lesson.update({ where: { id: first!.id }, data: { isPreview: true } });

    const page = await visit(course.code, first!.slug);
    if (typeof page === "string" || !page.visitor)
      throw new Error(`expected the visitor's page, got ${JSON.stringify(page)}`);
    expect(page.lesson.id).toBe(first!.id);
    expect(page.hasQuiz).toBe(true);
    expect(page.otherPreviews).toEqual([]);
    const json = JSON.stringify(page);
    // The bank's questions are for enrolled learners' draws.
    expect(json).not.toContain("options");
    expect(json).not.toContain("viewId");
    expect(await db.lessonView.count({ where: { lessonId: first!.id } })).toBe(0);

    expect(await visit(course.code, second!.slug)).toBe(
      `302 /login?redirectTo=${encodeURIComponent(`/courses/${course.code}/${second!.slug}`)}`,
    );
    expect(await visit(course.code, "no-such-lesson")).toMatch(/^404/);

    // The course page says which lessons are previews.
    const coursePageData = await coursePage.loader({
      request: new Request(`http://localhost/courses/${course.code}`),
      params: { courseCode: course.code },
      context: {},
    } as LoaderFunctionArgs);
    expect(coursePageData.course.lessons.map((l) => l.isPreview)).toEqual([true, false]);
  });

  it("a draft course's preview stays hidden", async () => {
    const course = await createPublishedCourse({ status: "DRAFT" });
    const first = await db.lesson.findFirstOrThrow({ where: { courseId: course.id }, orderBy: { position: "asc" } });
    await db.lesson.update({ where: { id: first.id }, data: { isPreview: true } });
    expect(await visit(course.code, first.slug)).toMatch(/^404/);
  });

  it("a visitor's progress report is refused with 401 and records nothing", async () => {
    const course = await createPublishedCourse();
    const first = await db.lesson.findFirstOrThrow({ where: { courseId: course.id }, orderBy: { position: "asc" } });
    await db.lesson.update({ where: { id: first.id }, data: { isPreview: true } });
    const result = await handleProgressReport({
      cookie: null,
      contentType: "application/json",
      body: JSON.stringify({ viewId: "v", lessonId: first.id, intervals: [[0, 10]], position: 10 }),
    });
    expect(result).toEqual({ status: 401, body: { ok: false, error: "unauthorized" } });
    expect(await db.lessonProgress.count({ where: { lessonId: first.id } })).toBe(0);
  });

  it("the sign-up the invitation leads to comes back only to a page of this site", async () => {
    for (const [redirectTo, kept] of [
      ["/courses/iccpr-intro", true],
      ["https://evil.example/courses", false],
      ["//evil.example", false],
      ["/\\evil.example", false],
    ] as const) {
      const body = new URLSearchParams({
        name: "Khách Xem Thử",
        email: `visitor-${Math.random().toString(36).slice(2)}@example.vn`,
        password: "mot-mat-khau-dai",
        confirmPassword: "mot-mat-khau-dai",
        redirectTo,
      });
      const response = (await signupPage.action({
        request: new Request("http://localhost/signup", { method: "POST", body }),
        params: {},
        context: {},
      } as ActionFunctionArgs)) as Response;
      const location = response.headers.get("Location") ?? "";
      expect(location.startsWith("/signup?sent=1"), redirectTo).toBe(true);
      expect(location.includes("evil"), redirectTo).toBe(false);
      expect(location.includes(encodeURIComponent(redirectTo)), redirectTo).toBe(kept);
    }
  });
});

describe("a signed-in learner who is not enrolled and a free preview", () => {
  async function post(courseCode: string, lessonSlug: string, body: Record<string, string>, cookie: string) {
    const request = new Request(`http://localhost/courses/${courseCode}/${lessonSlug}`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body),
    });
    try {
      const answer = await lessonRoute.action({
        request,
        params: { courseCode, lessonSlug },
        context: {},
      } as ActionFunctionArgs);
      return answer instanceof Response ? `${answer.status} ${answer.headers.get("Location") ?? ""}`.trim() : answer;
    } catch (thrown) {
      if (thrown instanceof Response) return `${thrown.status} ${thrown.headers.get("Location") ?? ""}`.trim();
      throw thrown;
    }
  }

  it("sees the preview as a visitor does, recording nothing; other lessons still need enrolment", async () => {
    const course = await createPublishedCourse({ quizOn: [0] });
    const [first, second] = await db.lesson.findMany({ where: { courseId: course.id }, orderBy: { position: "asc" } });
    await db.lesson.update({ where: { id: first!.id }, data: { isPreview: true } });
    const learner = await createLearner();
    const cookie = await cookieOf(learner.id);

    const page = await visit(course.code, first!.slug, cookie);
    if (typeof page === "string" || !page.visitor) throw new Error(`expected the preview, got ${JSON.stringify(page)}`);
    expect(page.signedIn).toBe(true);
    expect(page.lesson.id).toBe(first!.id);
    expect(page.hasQuiz).toBe(true);
    const json = JSON.stringify(page);
    expect(json).not.toContain("options");
    expect(json).not.toContain("viewId");
    const recorded = { where: { userId: learner.id } };
    expect(await db.lessonView.count(recorded)).toBe(0);
    expect(await db.quizDraw.count(recorded)).toBe(0);
    expect(await db.lessonProgress.count(recorded)).toBe(0);
    expect(await db.enrolment.count(recorded)).toBe(0);

    expect(await visit(course.code, second!.slug, cookie)).toBe(`302 /courses/${course.code}`);
    expect(await visit(course.code, "no-such-lesson", cookie)).toMatch(/^404/);

    // An enrolled learner gets the full lesson, with a view.
    await createEnrolment(learner.id, course.id);
    const full = await visit(course.code, first!.slug, cookie);
    if (typeof full === "string" || full.visitor)
      throw new Error(`expected the full lesson, got ${JSON.stringify(full)}`);
    expect(full.learner?.viewId).toBeTruthy();
  });

  it("enrols with one POST from the preview and comes back to the full lesson; only its own account", async () => {
    const course = await createPublishedCourse();
    const first = await db.lesson.findFirstOrThrow({ where: { courseId: course.id }, orderBy: { position: "asc" } });
    await db.lesson.update({ where: { id: first.id }, data: { isPreview: true } });
    const learner = await createLearner();
    const other = await createLearner();
    const cookie = await cookieOf(learner.id);

    // Someone else's id in the body is not read: the enrolment is the signed-in account's.
    expect(await post(course.code, first.slug, { intent: "enrol", userId: other.id }, cookie)).toBe(
      `302 /courses/${course.code}/${first.slug}`,
    );
    expect(await db.enrolment.count({ where: { userId: learner.id, courseId: course.id } })).toBe(1);
    expect(await db.enrolment.count({ where: { userId: other.id } })).toBe(0);
    // Twice is still one enrolment.
    await post(course.code, first.slug, { intent: "enrol" }, cookie);
    expect(await db.enrolment.count({ where: { userId: learner.id } })).toBe(1);

    const full = await visit(course.code, first.slug, cookie);
    if (typeof full === "string" || full.visitor)
      throw new Error(`expected the full lesson, got ${JSON.stringify(full)}`);

    // A visitor is sent to sign in; an unknown intent, lesson or draft course changes nothing.
    const anonymous = new Request(`http://localhost/courses/${course.code}/${first.slug}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "enrol" }),
    });
    await expect(
      lessonRoute.action({
        request: anonymous,
        params: { courseCode: course.code, lessonSlug: first.slug },
        context: {},
      } as ActionFunctionArgs),
    ).rejects.toMatchObject({ status: 302 });
    const stranger = await createLearner();
    const strangerCookie = await cookieOf(stranger.id);
    expect(await post(course.code, first.slug, { intent: "sneak" }, strangerCookie)).toMatchObject({
      status: "invalid",
    });
    expect(await post(course.code, "no-such-lesson", { intent: "enrol" }, strangerCookie)).toMatch(/^404/);
    const draft = await createPublishedCourse({ status: "DRAFT" });
    const draftLesson = await db.lesson.findFirstOrThrow({ where: { courseId: draft.id } });
    expect(await post(draft.code, draftLesson.slug, { intent: "enrol" }, strangerCookie)).toMatch(/^404/);
    expect(await db.enrolment.count({ where: { userId: stranger.id } })).toBe(0);
  });
});
