import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeMp4 } from "../../tests/fixtures/media-files";
import { createDraftCourse, createUserWithRole, uploadFile } from "../../tests/fixtures/teach";
import { listCatalog } from "~/catalog/catalog.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { setCaption, setMarkdownSlides } from "./courses.server";
import { publishIssues, type LessonSnapshot } from "./publish";
import { checkCourse, publishCourse, unpublishCourse } from "./publish.server";

const VTT = "WEBVTT\n\n00:00.000 --> 00:04.000\nXin chào.\n";

function lesson(overrides: Partial<LessonSnapshot> = {}): LessonSnapshot {
  return {
    id: "l1",
    title: "Bài 1",
    video: { status: "READY", durationSeconds: 240 },
    pendingUpload: null,
    slideCount: 3,
    cues: [0, 60, 120],
    captionLanguages: ["vi"],
    ...overrides,
  };
}

describe("publishIssues", () => {
  it("a complete lesson has nothing missing", () => {
    expect(publishIssues({ language: "vi", lessons: [lesson()] })).toEqual([]);
  });

  it("a course needs at least one lesson", () => {
    expect(publishIssues({ language: "vi", lessons: [] })).toEqual([{ code: "noLessons" }]);
  });

  it("lists everything a lesson lacks", () => {
    const issues = publishIssues({
      language: "vi",
      lessons: [lesson({ video: null, slideCount: 0, cues: [], captionLanguages: ["en"] })],
    });
    expect(issues.map((i) => i.code)).toEqual(["noVideo", "noSlides", "noCaptions"]);
  });

  it("a video outside 3–5 minutes blocks publishing, saying what was measured", () => {
    const issues = publishIssues({
      language: "vi",
      lessons: [lesson({ video: { status: "READY", durationSeconds: 312.4 }, cues: [] })],
    });
    expect(issues).toEqual([{ code: "videoLength", lessonId: "l1", lesson: "Bài 1", measured: "5:12" }]);
  });

  it("a Mux asset refused for its length blocks publishing with the same message", () => {
    const refusal = { code: "tooLong" as const, values: { measured: "5:12" } };
    const issues = publishIssues({
      language: "vi",
      lessons: [lesson({ video: null, cues: [], pendingUpload: { status: "REFUSED", refusal } })],
    });
    expect(issues).toEqual([{ code: "videoRefused", lessonId: "l1", lesson: "Bài 1", refusal }]);
  });

  it("a video still being processed blocks publishing", () => {
    const issues = publishIssues({
      language: "vi",
      lessons: [lesson({ video: null, cues: [], pendingUpload: { status: "PROCESSING", refusal: null } })],
    });
    expect(issues.map((i) => i.code)).toEqual(["videoProcessing"]);
  });

  it("captions are matched on the primary language", () => {
    expect(publishIssues({ language: "vi", lessons: [lesson({ captionLanguages: ["vi-VN"] })] })).toEqual([]);
    expect(
      publishIssues({ language: "hmn", lessons: [lesson({ captionLanguages: ["vi"] })] }).map((i) => i.code),
    ).toEqual(["noCaptions"]);
  });

  it("cue times that no longer fit the deck or the video are reported", () => {
    const count = publishIssues({ language: "vi", lessons: [lesson({ cues: [0, 60] })] });
    expect(count).toMatchObject([{ code: "badCues", problem: { code: "countMismatch", slides: 3, cues: 2 } }]);
    const past = publishIssues({
      language: "vi",
      lessons: [lesson({ video: { status: "READY", durationSeconds: 200 }, cues: [0, 60, 210] })],
    });
    expect(past).toMatchObject([{ code: "badCues", problem: { code: "pastEnd" } }]);
  });
});

describe("publishing and unpublishing", () => {
  it("publishes only when complete; unpublishing hides the course but keeps learners' progress", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const learner = await createUserWithRole("LEARNER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const visible = async () =>
      (await listCatalog()).flatMap((c) => c.courses).some((c) => c.title.startsWith("Quyền trẻ em"));

    expect((await publishCourse(courseId)).ok).toBe(false);
    expect((await checkCourse(courseId)).map((i) => i.code)).toEqual(["noVideo", "noSlides", "noCaptions"]);
    expect(await visible()).toBe(false);

    const video = path.join(path.dirname(getEnv().mediaDir), "publish-video.mp4");
    await writeMp4(video, { durationSeconds: 210 });
    expect((await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, video)).outcome.kind).toBe(
      "done",
    );
    await setMarkdownSlides(courseId, lessonId, "# Một\n---\n# Hai");
    await setCaption(courseId, lessonId, { language: "vi", label: "Tiếng Việt", vtt: VTT });
    expect(await checkCourse(courseId)).toEqual([]);
    expect(await publishCourse(courseId)).toEqual({ ok: true });
    expect(await visible()).toBe(true);

    await db.enrolment.create({ data: { userId: learner.id, courseId } });
    await db.lessonProgress.create({
      data: { userId: learner.id, lessonId, watchedIntervals: "[[0,100]]", watchedSeconds: 100 },
    });
    const publishedAt = (await db.course.findUniqueOrThrow({ where: { id: courseId } })).publishedAt;

    await unpublishCourse(courseId);
    expect(await visible()).toBe(false);
    expect(await db.lessonProgress.count({ where: { lessonId } })).toBe(1);
    expect(await db.enrolment.count({ where: { courseId } })).toBe(1);

    expect(await publishCourse(courseId)).toEqual({ ok: true });
    const again = await db.course.findUniqueOrThrow({ where: { id: courseId } });
    expect(again.publishedAt).toEqual(publishedAt);
  });
});
