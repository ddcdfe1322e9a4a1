import { describe, expect, it } from "vitest";
import { recordCourseCompletion } from "~/learning/course-completion.server";
import { loader as lessonLoader } from "~/routes/courses.$courseCode.$lessonSlug";
import { loader as myLearningLoader } from "~/routes/my-learning";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { createPublishedCourse, createLearner, createEnrolment } from "../../tests/helpers/fixtures";
import { learnerCertificateFor, listLearnerCertificates } from "./learner.server";

async function cookieFor(userId: string) {
  const token = generateSessionToken();
  await createSession(token, userId);
  return `${SESSION_COOKIE}=${token}`;
}

describe("a learner's certificates", () => {
  it("lists only the learner's own, newest first, and offers them on the lesson page and My learning", async () => {
    const [first, second] = [await createPublishedCourse(), await createPublishedCourse()];
    const learner = await createLearner();
    const other = await createLearner();
    await createEnrolment(learner.id, first.id);
    await recordCourseCompletion(learner.id, first.id, new Date("2026-10-01T00:00:00Z"));
    await recordCourseCompletion(learner.id, second.id, new Date("2026-11-01T00:00:00Z"));
    await recordCourseCompletion(other.id, first.id, new Date("2026-11-02T00:00:00Z"));

    const mine = await listLearnerCertificates(learner.id);
    expect(mine.map((c) => c.course.code)).toEqual([second.code, first.code]);
    expect(mine.every((c) => /^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/.test(c.code))).toBe(true);
    const theirs = await listLearnerCertificates(other.id);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]!.code).not.toBe(mine[1]!.code);
    expect(await learnerCertificateFor(learner.id, first.id)).toEqual(mine[1]);
    expect(await learnerCertificateFor(other.id, second.id)).toBeNull();

    const headers = { Cookie: await cookieFor(learner.id) };
    const page = (await lessonLoader({
      request: new Request(`http://localhost/courses/${first.code}/lesson-2`, { headers }),
      params: { courseCode: first.code, lessonSlug: "lesson-2" },
      context: {},
    })) as { learner: { certificate: { code: string } | null } };
    expect(page.learner.certificate?.code).toBe(mine[1]!.code);
    const list = (await myLearningLoader({
      request: new Request("http://localhost/my-learning", { headers }),
      params: {},
      context: {},
    })) as {
      certificates: { code: string }[];
    };
    expect(list.certificates.map((c) => c.code)).toEqual(mine.map((c) => c.code));
  });
});
