import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { learnerCertificateFor } from "~/certificates/learner.server";
import { createSql } from "~/db/sql.server";
import { unpublishCourse } from "~/teach/publish.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { createEnrolment, createLearner, createPublishedCourse } from "../../tests/helpers/fixtures";
import { EMPTY_LESSON_LEARNER, type LessonLearner } from "./lesson-learner";
import { lessonPageBody, lessonPages, type LessonContent } from "./lesson-page.server";

// The lesson page kept rendered (docs/decisions/175-lesson-page-kept-rendered.md):
// every answer still checks the session and the enrolment and starts its own
// view; what is kept is the content, keyed by what the database holds now.

async function signedIn(name?: string) {
  const learner = await createLearner();
  if (name) await db.user.update({ where: { id: learner.id }, data: { name } });
  const token = generateSessionToken();
  await createSession(token, learner.id);
  return { ...learner, cookie: `${SESSION_COOKIE}=${token}` };
}

// The app's render stands in: the lesson's title and the course's lessons
// from the content it is given, an inline script, and the empty island.
const renders: LessonContent[] = [];
const pages = lessonPages(async (_request, content) => {
  renders.push(content);
  const html =
    `<h1>${content.lesson.title}</h1><p>${content.course.lessons.map((l) => l.title).join("|")}</p>` +
    `${EMPTY_LESSON_LEARNER}<script>window.x=1</script>`;
  return new Response(html, { headers: { "content-type": "text/html" } });
}, learnerCertificateFor);

const ask = (cookie: string | null, path: string) => pages({ url: path, cookie, origin: "http://localhost" });

async function html(cookie: string, path: string) {
  const answer = (await ask(cookie, path))!;
  return gunzipSync(lessonPageBody(answer.page, answer.learner, "gzip")).toString("utf8");
}

describe("lessonPages", () => {
  it("starts a view on every answer, and renders the page once for every learner of the same content", async () => {
    const course = await createPublishedCourse({ quizOn: [0] });
    const lesson = course.lessons[0]!;
    const path = `/courses/${course.code}/${lesson.slug}`;
    const [a, b] = [await signedIn(), await signedIn()];
    await createEnrolment(a.id, course.id);
    await createEnrolment(b.id, course.id);
    const rendered = renders.length;

    const first = (await ask(a.cookie, path))!;
    const second = (await ask(a.cookie, path))!;
    const other = (await ask(b.cookie, path))!;
    expect(renders.length).toBe(rendered + 1);
    expect(second.page).toBe(first.page);
    expect(other.page).toBe(first.page);
    // Each answer its own view, of its own learner, with the learner's own draw.
    expect(new Set([first.learner.viewId, second.learner.viewId, other.learner.viewId]).size).toBe(3);
    expect(other.learner.learnerId).toBe(b.id);
    expect(first.learner.quiz?.state).toBe("open");
    const views = await db.lessonView.findMany({ where: { lessonId: lesson.id } });
    expect(views.filter((v) => v.userId === a.id)).toHaveLength(2);
    expect(views.filter((v) => v.userId === b.id)).toHaveLength(1);
    expect(renders.at(-1)).not.toHaveProperty("viewId");
    expect(JSON.stringify(renders.at(-1))).not.toContain(a.id);
  });

  it("renders again after an edit, also one made through another connection, and leaves an unpublished lesson to Remix", async () => {
    const course = await createPublishedCourse();
    const learner = await signedIn();
    await createEnrolment(learner.id, course.id);
    const path = `/courses/${course.code}/${course.lessons[0]!.slug}`;
    expect(await html(learner.cookie, path)).toContain("<h1>Bài 1</h1>");

    await db.lesson.update({ where: { id: course.lessons[0]!.id }, data: { title: "Bài đã sửa" } });
    expect(await html(learner.cookie, path)).toContain("<h1>Bài đã sửa</h1>");

    const other = createSql(getEnv().DATABASE_URL);
    try {
      await other.run(
        other.db.updateTable("Lesson").set({ title: "Từ máy khác" }).where("id", "=", course.lessons[1]!.id),
      );
    } finally {
      await other.close();
    }
    expect(await html(learner.cookie, path)).toContain("Bài đã sửa|Từ máy khác");

    await unpublishCourse(course.id);
    const views = await db.lessonView.count({ where: { userId: learner.id } });
    expect(await ask(learner.cookie, path)).toBeNull();
    expect(await db.lessonView.count({ where: { userId: learner.id } })).toBe(views);
  });

  it("answers only an enrolled learner's page: no view for anyone else", async () => {
    const course = await createPublishedCourse();
    const learner = await signedIn();
    const path = `/courses/${course.code}/${course.lessons[0]!.slug}`;
    expect(await ask(learner.cookie, path)).toBeNull();
    expect(await ask(null, path)).toBeNull();
    expect(await ask(`${SESSION_COOKIE}=${"a".repeat(32)}`, path)).toBeNull();
    await createEnrolment(learner.id, course.id);
    expect(await ask(learner.cookie, `${path}?x=1`)).toBeNull();
    expect(await ask(learner.cookie, `/courses/${course.code}/no-such-lesson`)).toBeNull();
    expect(await ask(learner.cookie, `/courses/${course.code}`)).toBeNull();
    expect(await db.lessonView.count({ where: { userId: learner.id } })).toBe(0);
    expect(await ask(learner.cookie, path)).not.toBeNull();
  });

  it("keeps a page per name in the header", async () => {
    const course = await createPublishedCourse();
    const [a, b] = [await signedIn("Người A"), await signedIn("Người B")];
    await createEnrolment(a.id, course.id);
    await createEnrolment(b.id, course.id);
    const path = `/courses/${course.code}/${course.lessons[0]!.slug}`;
    expect((await ask(a.cookie, path))!.page).not.toBe((await ask(b.cookie, path))!.page);
  });
});

describe("lessonPageBody", () => {
  const learner: LessonLearner = {
    viewId: "v1",
    learnerId: "u1",
    progress: { lastPosition: 12, watchedPercent: 40, completedAt: null },
    quiz: null,
    certificate: { code: "</script><script>alert(1)</script>" },
  };

  it("puts the learner's part into the kept page, one gzip member that unpacks to the same page", async () => {
    const course = await createPublishedCourse();
    const user = await signedIn();
    await createEnrolment(user.id, course.id);
    const { page } = (await ask(user.cookie, `/courses/${course.code}/${course.lessons[0]!.slug}`))!;
    const identity = lessonPageBody(page, learner, "identity").toString("utf8");
    expect(gunzipSync(lessonPageBody(page, learner, "gzip")).toString("utf8")).toBe(identity);
    expect(identity).toContain('<script type="application/json" id="lesson-learner">{"viewId":"v1"');
    // Nothing in the learner's part can end the island or open a script.
    expect(identity.match(/<\/script>/g)).toHaveLength(2);
    expect(JSON.parse(/id="lesson-learner">(.*?)<\/script>/.exec(identity)![1]!)).toEqual(learner);
    expect(page.scriptHashes).toHaveLength(1);
    // A part longer than one stored block (65,535 bytes).
    const long = { ...learner, certificate: { code: "x".repeat(150_000) } };
    expect(gunzipSync(lessonPageBody(page, long, "gzip")).toString("utf8")).toBe(
      lessonPageBody(page, long, "identity").toString("utf8"),
    );
  });
});
