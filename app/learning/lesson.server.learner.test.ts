import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { createEnrolment, createLearner, createPublishedCourse } from "../../tests/helpers/fixtures";
import { getLessonForLearner } from "./lesson.server";

// The lesson page's loader, on prepared statements
// (docs/decisions/165-catalog-read-model.md): the same page as before, scoped
// to the learner who asks.

describe("getLessonForLearner", () => {
  it("is null for an unknown lesson and for a lesson of a draft course", async () => {
    const learner = await createLearner();
    const course = await createPublishedCourse();
    const draft = await createPublishedCourse({ status: "DRAFT" });
    await createEnrolment(learner.id, draft.id);
    expect(await getLessonForLearner(course.code, "no-such-lesson", learner.id)).toBeNull();
    expect(await getLessonForLearner("no-such-course", "lesson-1", learner.id)).toBeNull();
    expect(await getLessonForLearner(draft.code, "lesson-1", learner.id)).toBeNull();
  });

  it("tells a learner who is not enrolled so, and writes no view and no draw", async () => {
    const learner = await createLearner();
    const course = await createPublishedCourse({ quizOn: [0] });
    const view = (await getLessonForLearner(course.code, "lesson-1", learner.id))!;
    expect(view).toMatchObject({ enrolled: false, viewId: null, quiz: null });
    expect(await db.lessonView.count({ where: { userId: learner.id } })).toBe(0);
    expect(await db.quizDraw.count({ where: { userId: learner.id } })).toBe(0);
  });

  it("gives an enrolled learner the lesson, its media and captions, their own progress, a view and a draw", async () => {
    const learner = await createLearner();
    const other = await createLearner();
    const course = await createPublishedCourse({ durations: [200, 240, 100], quizOn: [1] });
    const [first, second] = course.lessons;
    const video = await db.mediaAsset.create({
      data: { kind: "VIDEO", mimeType: "video/mp4", storage: "LOCAL", status: "READY" },
    });
    const deck = await db.mediaAsset.create({
      data: { kind: "PDF", mimeType: "application/pdf", pageCount: 4 },
    });
    await db.lesson.update({
      where: { id: second!.id },
      data: {
        videoAssetId: video.id,
        slidesKind: "PDF",
        slidesAssetId: deck.id,
        slideCues: "[0, 30, 60, 90]",
        transcript: "Đoạn một.\n\nĐoạn hai.",
      },
    });
    await db.lessonCaption.create({
      data: { lessonId: second!.id, language: "vi", label: "Tiếng Việt", vtt: "WEBVTT\n" },
    });
    await createEnrolment(learner.id, course.id);
    await createEnrolment(other.id, course.id);
    const completedAt = new Date("2026-11-30T08:00:00.000Z");
    await db.lessonProgress.create({
      data: { userId: learner.id, lessonId: second!.id, watchedIntervals: "[[0,120]]", lastPosition: 118, completedAt },
    });
    await db.lessonProgress.create({
      data: { userId: other.id, lessonId: second!.id, watchedIntervals: "[[0,240]]", lastPosition: 239 },
    });

    const view = (await getLessonForLearner(course.code, "lesson-2", learner.id))!;
    expect(view.enrolled).toBe(true);
    expect(view.course).toEqual({
      id: course.id,
      code: course.code,
      title: "Khóa học thử",
      titleEn: null,
      lessons: [
        { slug: "lesson-1", title: "Bài 1", titleEn: null },
        { slug: "lesson-2", title: "Bài 2", titleEn: null },
        { slug: "lesson-3", title: "Bài 3", titleEn: null },
      ],
    });
    expect(view.previous).toEqual({ slug: "lesson-1", title: "Bài 1", titleEn: null });
    expect(view.next).toEqual({ slug: "lesson-3", title: "Bài 3", titleEn: null });
    expect(view.lesson).toMatchObject({
      id: second!.id,
      slug: "lesson-2",
      durationSeconds: 240,
      video: { id: video.id, storage: "LOCAL", status: "READY", muxPlaybackId: null, mimeType: "video/mp4" },
      slides: { kind: "pdf", assetId: deck.id, pageCount: 4 },
      cues: [0, 30, 60, 90],
      captions: [{ language: "vi", label: "Tiếng Việt" }],
      transcript: ["Đoạn một.", "Đoạn hai."],
    });
    expect(view.lesson).not.toHaveProperty("quiz");
    // This learner's progress, not the other's.
    expect(view.progress).toEqual({ lastPosition: 118, watchedPercent: 50, completedAt });
    expect(view.quiz).toMatchObject({ state: "open", passMark: 50 });
    expect(await db.lessonView.findUnique({ where: { id: view.viewId! } })).toMatchObject({
      userId: learner.id,
      lessonId: second!.id,
    });
    // The draw is kept: a reload shows the same questions.
    const again = (await getLessonForLearner(course.code, "lesson-2", learner.id))!;
    expect(again.quiz).toEqual(view.quiz);
    expect(again.viewId).not.toBe(view.viewId);

    const firstLesson = (await getLessonForLearner(course.code, "lesson-1", learner.id))!;
    expect(firstLesson).toMatchObject({ previous: null, quiz: null, progress: { lastPosition: 0, completedAt: null } });
    expect(firstLesson.lesson).toMatchObject({ id: first!.id, video: null, slides: null, captions: [] });
  });
});
