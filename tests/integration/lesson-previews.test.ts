// Free previews: a visitor without an account plays a published course's
// preview lessons, records nothing, and is sent back safely after signing up.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { handleProgressReport } from "~/learning/progress-http.server";
import * as lessonRoute from "~/routes/courses.$courseCode.$lessonSlug";
import * as coursePage from "~/routes/courses.$courseCode._index";
import * as signupPage from "~/routes/signup";
import { db } from "~/utils/db.server";
import { createPublishedCourse } from "../helpers/fixtures";

async function visit(courseCode: string, lessonSlug: string) {
  const request = new Request(`http://localhost/courses/${courseCode}/${lessonSlug}`);
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
