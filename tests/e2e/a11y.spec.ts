import { readFileSync, writeFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { parse } from "yaml";
import { generateCertificateCode } from "~/learning/certificate";
import { QuizSchema } from "~/learning/quiz";
import { expect, test, type Page } from "./fixtures";
import { blockOutsideRequests, passQuiz } from "./helpers";

// Every page the app serves, for the role that can see it, and the states that
// matter (a form after a bad submit, the coverage chart, the player, a quiz
// result, the English interface, the 404 page), checked at a desktop size and
// on a phone: no WCAG 2.1 A/AA violation by axe-core, no sideways scrolling on
// the phone, every control outside running text at least 24 × 24 px (WCAG
// 2.5.8), and a screenshot of each, attached to the report.

const VISITOR = null;
const LEARNER = "hocvien@taphuan.vn";
const TRAINER = "giangvien@taphuan.vn";
const COORDINATOR = "dieuphoi@taphuan.vn";
const ADMIN = "quantri@taphuan.vn";
const COURSE = "iccpr-intro";
const LESSON_URL = new RegExp(`/courses/${COURSE}/[^/?]+$`);
const QUIZ_LESSON_DIR = `courses/iccpr/${COURSE}/lessons/01-cong-uoc-bao-ve-gi`;

const SIZES = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

type Db = (typeof import("~/utils/db.server"))["db"];

type Visit = {
  name: string;
  as: string | null;
  /** The address, or how to find it in the e2e database. */
  path: string | ((db: Db, page: Page) => Promise<string>);
  /** Brings the page to the state under test, after it loaded. */
  state?: (page: Page) => Promise<void>;
  status?: number;
  /** Signs a new learner in before each size. */
  newLearner?: boolean;
  /** Known to fail, and why: the case is skipped as test.fixme until the page is fixed. */
  fixme?: string;
};

/** Submits a form as a browser without validation would, so the server's errors show. */
async function submitEmpty(page: Page, form: string, button?: string) {
  const target = page.locator(form).first();
  await target.evaluate((f: HTMLFormElement) => (f.noValidate = true));
  await (
    button
      ? target.getByRole("button", { name: button })
      : target.locator('button[type="submit"], button:not([type])').last()
  ).click();
  await page.waitForLoadState("networkidle");
}

async function firstId(db: Db, model: "lesson", where: object): Promise<string>;
async function firstId(db: Db, model: string, where: object): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one lookup for several models
  const row = await (db as any)[model].findFirstOrThrow({ where, select: { id: true } });
  return row.id as string;
}

/** Addresses of what a state made at the first size, opened again at the second. */
const made: { certificateExport?: string; reminderJob?: string } = {};

const VISITS: Visit[] = [
  // Visitors
  { name: "catalog", as: VISITOR, path: "/" },
  { name: "catalog search", as: VISITOR, path: "/?q=quyen&length=short" },
  {
    name: "catalog in English",
    as: VISITOR,
    path: "/",
    state: async (page) => {
      // Chosen once (at the first size); the choice is kept in a cookie.
      if ((await page.locator("html").getAttribute("lang")) === "en") return;
      await page.getByRole("button", { name: "English" }).click();
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
    },
  },
  { name: "course page (visitor)", as: VISITOR, path: `/courses/${COURSE}` },
  { name: "login", as: VISITOR, path: "/login" },
  { name: "login with errors", as: VISITOR, path: "/login", state: (page) => submitEmpty(page, "main form") },
  { name: "signup", as: VISITOR, path: "/signup" },
  { name: "signup with errors", as: VISITOR, path: "/signup", state: (page) => submitEmpty(page, "main form") },
  { name: "forgot password", as: VISITOR, path: "/forgot-password" },
  {
    name: "forgot password with errors",
    as: VISITOR,
    path: "/forgot-password",
    state: (page) => submitEmpty(page, "main form"),
  },
  { name: "reset password, bad link", as: VISITOR, path: "/reset-password/khongcolienketnay" },
  { name: "set password, bad link", as: VISITOR, path: "/set-password/khongcolienketnay" },
  { name: "verify email, bad link", as: VISITOR, path: "/verify-email/khongcolienketnay" },
  { name: "unsubscribe, bad link", as: VISITOR, path: "/unsubscribe/khongcolienketnay" },
  { name: "invite, bad link", as: VISITOR, path: "/invite/khongcolienketnay" },
  {
    name: "certificate",
    as: VISITOR,
    path: async (db) => `/certificates/${await certificateCode(db)}`,
  },
  { name: "404", as: VISITOR, path: "/khong/co/trang/nay", status: 404 },

  // Learners
  { name: "my learning", as: LEARNER, path: "/my-learning" },
  { name: "account", as: LEARNER, path: "/account" },
  {
    name: "account with errors",
    as: LEARNER,
    path: "/account",
    state: (page) => submitEmpty(page, "main form[novalidate]"),
  },
  { name: "course page (learner)", as: LEARNER, path: `/courses/${COURSE}` },
  {
    name: "lesson with player",
    as: LEARNER,
    path: `/courses/${COURSE}`,
    state: async (page) => {
      const enrol = page.getByRole("button", { name: "Ghi danh khóa học" });
      if (await enrol.isVisible()) {
        // Enrolling opens the first lesson; the second is the one under test.
        await enrol.click();
        await expect(page).toHaveURL(LESSON_URL);
        await page.goto(`/courses/${COURSE}`);
      }
      await page.locator("ol.lesson-list li a").nth(1).click();
      await expect(page).toHaveURL(LESSON_URL);
      await expect(page.locator("mux-player")).toBeVisible();
    },
  },
  {
    name: "quiz result",
    as: null,
    newLearner: true, // at each size, so the quiz is still open
    path: `/courses/${COURSE}`,
    state: async (page) => {
      // Enrolling opens the first lesson, the one with the knowledge check.
      await page.getByRole("button", { name: "Ghi danh khóa học" }).click();
      await expect(page).toHaveURL(LESSON_URL);
      const quiz = QuizSchema.parse(parse(readFileSync(`${QUIZ_LESSON_DIR}/quiz.yaml`, "utf8")));
      await expect(await passQuiz(page, quiz)).toBeFocused();
    },
  },

  {
    name: "lesson preview (learner not enrolled)",
    as: null,
    newLearner: true,
    path: async (db) => {
      const lesson = await db.lesson.findFirstOrThrow({
        where: { course: { code: COURSE }, isPreview: true },
        orderBy: { position: "asc" },
        select: { slug: true },
      });
      return `/courses/${COURSE}/${lesson.slug}`;
    },
    state: (page) => expect(page.getByTestId("preview-invitation").getByRole("button")).toBeVisible(),
  },

  // Trainers
  { name: "teach", as: TRAINER, path: "/teach" },
  { name: "new course", as: TRAINER, path: "/teach/courses/new" },
  {
    name: "new course with errors",
    as: TRAINER,
    path: "/teach/courses/new",
    state: (page) => submitEmpty(page, "main form"),
  },
  { name: "course editor", as: TRAINER, path: async (db) => `/teach/courses/${await ownedCourse(db)}` },
  {
    name: "lesson editor with quiz",
    as: TRAINER,
    path: async (db) => {
      const courseId = await ownedCourse(db);
      return `/teach/courses/${courseId}/lessons/${await firstId(db, "lesson", { courseId, quiz: { not: null } })}`;
    },
  },
  { name: "course preview", as: TRAINER, path: async (db) => `/teach/courses/${await ownedCourse(db)}/preview` },
  {
    name: "lesson preview",
    as: TRAINER,
    path: async (db) => {
      const courseId = await ownedCourse(db);
      return `/teach/courses/${courseId}/preview/${await firstId(db, "lesson", { courseId })}`;
    },
  },

  // Coordinators
  {
    name: "coverage dashboard and chart",
    as: COORDINATOR,
    path: "/coverage",
    state: (page) => expect(page.locator(".chart-box svg, .chart-box canvas").first()).toBeVisible(),
  },
  { name: "coverage, impossible date", as: COORDINATOR, path: "/coverage?asOf=2024-02-30" },
  { name: "coverage by province", as: COORDINATOR, path: "/coverage/provinces" },
  { name: "coverage by agency", as: COORDINATOR, path: "/coverage/agencies" },
  { name: "follow-up", as: COORDINATOR, path: "/coverage/follow-up" },
  { name: "import", as: COORDINATOR, path: "/coverage/import" },
  { name: "an import", as: COORDINATOR, path: async (db) => `/coverage/imports/${await firstIdOf(db.dataImport)}` },
  { name: "roster", as: COORDINATOR, path: "/coverage/roster" },
  { name: "a person", as: COORDINATOR, path: async (db) => `/coverage/roster/${await firstIdOf(db.rosterPerson)}` },
  { name: "certificate exports", as: COORDINATOR, path: "/coverage/certificates" },
  {
    name: "certificate exports with errors",
    as: COORDINATOR,
    path: "/coverage/certificates",
    state: (page) => submitEmpty(page, "main form[method=post]"),
  },
  {
    name: "a certificate export",
    as: COORDINATOR,
    // A course is offered once someone holds its certificate.
    path: async (db) => {
      await certificateCode(db);
      return "/coverage/certificates";
    },
    state: async (page) => {
      // Made once, at the first size; the second size opens the same export.
      if (made.certificateExport) return void (await page.goto(made.certificateExport));
      const form = page.locator("main form[method=post]").first();
      await form.locator("select").first().selectOption({ index: 1 });
      await form.locator('button[type="submit"]').click();
      await expect(page).toHaveURL(/\/coverage\/certificates\/[^/]+$/);
      made.certificateExport = page.url();
    },
  },
  { name: "reminders", as: COORDINATOR, path: "/coverage/reminders" },
  {
    name: "a reminder job",
    as: COORDINATOR,
    path: "/coverage/reminders",
    state: async (page) => {
      // Sent once, at the first size: after it everyone was reminded this week and the button is off.
      if (made.reminderJob) return void (await page.goto(made.reminderJob));
      await page.locator('main form[method=post] button[type="submit"]').last().click();
      await expect(page).toHaveURL(/\/coverage\/reminders\/[^/]+$/);
      made.reminderJob = page.url();
    },
  },

  // Administrators
  { name: "users", as: ADMIN, path: "/admin/users" },
  {
    name: "users, invite with errors",
    as: ADMIN,
    path: "/admin/users",
    state: (page) => submitEmpty(page, "main form.narrow-form"),
  },
  {
    name: "a user",
    as: ADMIN,
    path: async (db) => `/admin/users/${(await db.user.findUniqueOrThrow({ where: { email: TRAINER } })).id}`,
  },
  { name: "outbox", as: ADMIN, path: "/admin/outbox" },
  { name: "target groups", as: ADMIN, path: "/admin/target-groups" },
  { name: "audit trail", as: ADMIN, path: "/audit" },
];

/** The demo learner's certificate of the demo course, written straight into the e2e
 * database as certificate-revoke.spec does (the completion code imports the locale
 * files, which Playwright's loader cannot). */
async function certificateCode(db: Db) {
  const user = await db.user.findUniqueOrThrow({ where: { email: LEARNER }, select: { id: true } });
  const course = await db.course.findUniqueOrThrow({ where: { code: COURSE }, select: { id: true } });
  const done = await db.courseCompletion.upsert({
    where: { userId_courseId: { userId: user.id, courseId: course.id } },
    create: {
      userId: user.id,
      courseId: course.id,
      certificateCode: generateCertificateCode(),
      completedAt: new Date("2026-06-01T09:00:00Z"),
    },
    update: {},
  });
  return done.certificateCode;
}

async function ownedCourse(db: Db) {
  const trainer = await db.user.findUniqueOrThrow({ where: { email: TRAINER }, select: { id: true } });
  // The demo course with a knowledge check, given to the demo trainer as an admin would.
  const course = await db.course.findUniqueOrThrow({ where: { code: COURSE }, select: { id: true } });
  await db.courseOwner.upsert({
    where: { courseId_userId: { courseId: course.id, userId: trainer.id } },
    create: { courseId: course.id, userId: trainer.id },
    update: {},
  });
  return course.id;
}

async function firstIdOf(model: { findFirstOrThrow(args: { select: { id: true } }): Promise<{ id: string }> }) {
  return (await model.findFirstOrThrow({ select: { id: true } })).id;
}

/** Controls smaller than 24 × 24 CSS px that are not links inside a sentence (WCAG 2.5.8's inline exception). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>(
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"]',
    );
    for (const el of controls) {
      const style = getComputedStyle(el);
      if (
        style.visibility === "hidden" ||
        style.display === "none" ||
        el.closest("[hidden], .visually-hidden, .skip-link")
      )
        continue;
      let rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      if (el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio")) {
        // Its label is part of the target: a tap on it checks the box.
        for (const label of el.labels ?? []) {
          const r = label.getBoundingClientRect();
          const left = Math.min(rect.left, r.left);
          const top = Math.min(rect.top, r.top);
          rect = new DOMRect(left, top, Math.max(rect.right, r.right) - left, Math.max(rect.bottom, r.bottom) - top);
        }
      }
      if (rect.width >= 24 && rect.height >= 24) continue;
      if (el.tagName === "A" && style.display === "inline") {
        // A link in running text: its block holds more words than the link.
        const block = el.parentElement?.closest("p, li, td, dd, dt, figcaption, label, small, span.hint, div");
        const own = (el.textContent ?? "").trim().length;
        if (block && (block.textContent ?? "").trim().length > own + 1) continue;
      }
      const name = (el.getAttribute("aria-label") ?? el.textContent ?? (el as HTMLInputElement).name ?? "")
        .trim()
        .replace(/\s+/g, " ")
        .slice(0, 40);
      found.push(
        `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ")[0] : ""} "${name}" ${Math.round(rect.width)}×${Math.round(rect.height)}`,
      );
    }
    return found;
  });
}

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

for (const visit of VISITS) {
  (visit.fixme ? test.fixme : test)(
    `${visit.name}: no WCAG 2.1 A/AA violation, usable on a phone`,
    async ({ page, login, app }, testInfo) => {
      if (visit.as) await login(visit.as);
      const path = typeof visit.path === "string" ? visit.path : await visit.path(app.db, page);
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        if (visit.newLearner) await login();
        const response = await page.goto(path);
        expect(response?.status(), `${path} answers`).toBe(visit.status ?? 200);
        if (visit.state) await visit.state(page);
        await page.waitForLoadState("networkidle");

        const axe = await new AxeBuilder({ page })
          .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
          // Label in Name (2.5.3) is still "experimental" in axe, so off unless asked for.
          .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
          .analyze();
        // Nodes per rule, kept beside the screenshots for the figures in the report.
        const counts = Object.fromEntries(axe.violations.map((v) => [v.id, v.nodes.length]));
        writeFileSync(testInfo.outputPath(`axe-${size.name}.json`), JSON.stringify(counts));
        expect
          .soft(
            axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
            `axe at ${size.name} size`,
          )
          .toEqual([]);

        if (size.name === "phone") {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          expect.soft(width, "no sideways scrolling on a phone").toBeLessThanOrEqual(390);
          expect.soft(await smallTargets(page), "tap targets of at least 24 × 24 px").toEqual([]);
        }

        const shot = testInfo.outputPath(`${size.name}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        await testInfo.attach(`${visit.name} (${size.name})`, { path: shot, contentType: "image/png" });
      }
    },
  );
}
