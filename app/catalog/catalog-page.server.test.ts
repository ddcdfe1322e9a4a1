import { describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { createSql } from "~/db/sql.server";
import { updateCourse } from "~/teach/courses.server";
import { unpublishCourse } from "~/teach/publish.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { createLearner, createPublishedCourse } from "../../tests/helpers/fixtures";
import { bodyIn, catalogPages, chooseEncoding, inlineScriptHashes } from "./catalog-page.server";
import { listCatalog } from "./catalog.server";
import { catalogVersion } from "./catalog-version.server";

// The catalog kept under its version (docs/decisions/165-catalog-read-model.md):
// every write to what it shows raises the version, whoever writes, and what
// is kept is read again.

const titles = async () => (await listCatalog()).flatMap((c) => c.courses.map((course) => course.title));

describe("the catalog's version", () => {
  it("rises with every write to a course, a lesson, a convention, a lead body or an agency", async () => {
    const course = await createPublishedCourse();
    const steps: [string, () => Promise<unknown>][] = [
      ["course", () => db.course.update({ where: { id: course.id }, data: { summary: "Khác" } })],
      ["lesson", () => db.lesson.update({ where: { id: course.lessons[0]!.id }, data: { title: "Bài mới" } })],
      ["convention", () => db.convention.update({ where: { code: "CRC" }, data: { adoptedYear: 1989 } })],
      ["lead body", () => db.conventionLeadBody.updateMany({ data: { source: "test" } })],
      [
        "agency",
        async () => {
          const lead = await db.agency.findFirstOrThrow({ where: { leadOf: { some: {} } } });
          await db.agency.update({ where: { id: lead.id }, data: { nameEn: lead.nameEn } });
        },
      ],
      ["lesson deleted", () => db.lesson.delete({ where: { id: course.lessons[1]!.id } })],
    ];
    for (const [name, write] of steps) {
      const before = await catalogVersion();
      await write();
      expect(await catalogVersion(), name).toBeGreaterThan(before);
    }
  });

  it("does not rise with a learner's own rows, a new agency (a roster import's) or a lesson's other columns", async () => {
    const course = await createPublishedCourse();
    const learner = await createLearner();
    const before = await catalogVersion();
    await db.enrolment.create({ data: { userId: learner.id, courseId: course.id } });
    await db.agency.create({ data: { code: "so-moi", nameVi: "Sở mới" } });
    await db.lesson.update({ where: { id: course.lessons[0]!.id }, data: { transcript: "Lời thoại." } });
    expect(await catalogVersion()).toBe(before);
  });
});

describe("listCatalog, kept under the version", () => {
  it("shows an edit, an unpublished course and a published one at once", async () => {
    const course = await createPublishedCourse();
    expect(await titles()).toContain("Khóa học thử");
    await updateCourse(course.id, {
      convention: "ICCPR",
      language: "vi",
      title: "Tên đã sửa",
      titleEn: null,
      summary: "Tóm tắt",
      summaryEn: null,
    });
    expect(await titles()).toContain("Tên đã sửa");
    await unpublishCourse(course.id);
    expect(await titles()).not.toContain("Tên đã sửa");
    // publishCourse's own write, once its checks pass (app/teach/publish.test.ts goes through them).
    await db.course.update({ where: { id: course.id }, data: { status: "PUBLISHED" } });
    expect(await titles()).toContain("Tên đã sửa");
  });

  it("shows what another app instance wrote, through its own connection", async () => {
    const course = await createPublishedCourse();
    expect(await titles()).toContain("Khóa học thử");
    const other = createSql(getEnv().DATABASE_URL);
    try {
      await other.run(other.db.updateTable("Course").set({ title: "Từ máy khác" }).where("id", "=", course.id));
    } finally {
      await other.close();
    }
    expect(await titles()).toContain("Từ máy khác");
  });
});

describe("catalogPages", () => {
  // The app's render stands in as what the page shows: the catalog's titles
  // and who the root loader says is signed in.
  const renders: string[] = [];
  const pages = catalogPages(async (request) => {
    const cookie = request.headers.get("cookie") ?? "";
    const html = `<p>${(await titles()).join("|")}</p><script>window.x=${JSON.stringify(cookie.length)}</script>`;
    renders.push(cookie);
    return new Response(html, { headers: { "content-type": "text/html" } });
  });
  const ask = (cookie: string | null = null, url = "/") => pages({ url, cookie, origin: "http://localhost" });
  const text = async (cookie: string | null = null) => bodyIn((await ask(cookie))!, "identity").toString("utf8");

  it("renders once per catalog version, and again after a publish, an edit or an unpublish", async () => {
    const course = await createPublishedCourse();
    await ask();
    const rendered = renders.length;
    expect(await text()).toContain("Khóa học thử");
    expect(renders.length).toBe(rendered);

    await db.course.update({ where: { id: course.id }, data: { title: "Sửa lần một" } });
    expect(await text()).toContain("Sửa lần một");
    await unpublishCourse(course.id);
    expect(await text()).not.toContain("Sửa lần một");
    await db.course.update({ where: { id: course.id }, data: { status: "PUBLISHED" } });
    expect(await text()).toContain("Sửa lần một");
    expect(renders.length).toBe(rendered + 3);
  });

  it("keeps a page per name in the header, and none for another URL", async () => {
    const learner = await createLearner();
    const token = generateSessionToken();
    await createSession(token, learner.id);
    const cookie = `${SESSION_COOKIE}=${token}`;
    const visitor = await ask();
    const signedIn = await ask(cookie);
    expect(signedIn).not.toBe(visitor);
    expect(await ask(cookie)).toBe(signedIn);
    // A token of no session is a visitor, as the root loader sees it.
    expect(await ask(`${SESSION_COOKIE}=${"a".repeat(32)}`)).toBe(visitor);
    await db.user.update({ where: { id: learner.id }, data: { name: "Tên khác" } });
    expect(await ask(cookie)).not.toBe(signedIn);
    expect(await ask(null, "/?q=tre")).toBeNull();
    expect(await ask(null, "/courses")).toBeNull();
  });

  it("hashes the page's inline scripts, not its external ones", () => {
    expect(inlineScriptHashes('<script src="/a.js"></script><script>alert(1)</script>')).toEqual([
      "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='",
    ]);
  });
});

describe("chooseEncoding", () => {
  it("prefers br, then gzip, and honours q=0", () => {
    expect(chooseEncoding("gzip, deflate, br")).toBe("br");
    expect(chooseEncoding("gzip")).toBe("gzip");
    expect(chooseEncoding("br;q=0, gzip;q=0.5")).toBe("gzip");
    expect(chooseEncoding("*")).toBe("br");
    expect(chooseEncoding("identity")).toBe("identity");
    expect(chooseEncoding(null)).toBe("identity");
  });
});
