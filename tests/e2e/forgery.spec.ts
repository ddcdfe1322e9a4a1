import { expect, test } from "@playwright/test";
import { forgeCertificate } from "../../bench/forgery-attack";
import { blockOutsideRequests, signUp } from "./helpers";

// The course seeded by tests/fixtures/e2e-courses/seed.ts for this test.
const LESSONS = [
  { id: "e2e-forgery-l1", durationSeconds: 40 },
  { id: "e2e-forgery-l2", durationSeconds: 30 },
];
const BOUND_MS = 0.45 * LESSONS.reduce((sum, l) => sum + l.durationSeconds, 0) * 1000;

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

test("a script using only HTTP cannot earn a certificate faster than 90% of every lesson at 2x", async ({
  page,
  baseURL,
}) => {
  await signUp(page, "Kẻ Giả Mạo", `forger-${Date.now()}@example.vn`);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");

  // The clock starts before the learner has any view of the course.
  const started = Date.now();
  await page.goto("/courses/e2e-forgery");
  await page.getByRole("button", { name: "Ghi danh khóa học" }).click();
  await expect(page).toHaveURL(/\/courses\/e2e-forgery\/bai-1/);

  // Everything at once first: the whole course in one report per lesson is refused.
  const burst = await Promise.all(
    LESSONS.map(async (lesson) => {
      const view = await page.request.post("/api/views", { data: { lessonId: lesson.id } });
      const { viewId } = (await view.json()) as { viewId: string };
      const report = await page.request.post("/api/progress", {
        data: {
          viewId,
          lessonId: lesson.id,
          intervals: [[0, lesson.durationSeconds]],
          position: lesson.durationSeconds,
        },
      });
      return { status: report.status(), body: (await report.json()) as { error?: string } };
    }),
  );
  expect(burst.every((r) => r.status === 422 && r.body.error === "too_fast")).toBe(true);

  // Then the best strategy we know, on both lessons in parallel.
  const result = await forgeCertificate({ baseUrl: baseURL!, cookie, lessons: LESSONS, deadlineMs: BOUND_MS + 30_000 });
  const elapsed = Date.now() - started;
  expect(result.completed).toBe(true);
  expect(result.refusedTooFast).toBeGreaterThan(0);
  expect(elapsed).toBeGreaterThanOrEqual(BOUND_MS);
  // ... and it is a real attack: it gets there close to the bound.
  expect(elapsed).toBeLessThan(BOUND_MS + 25_000);

  await page.goto("/courses/e2e-forgery");
  await expect(page.getByRole("link", { name: "Xem chứng nhận" })).toBeVisible();
});
