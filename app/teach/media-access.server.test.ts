import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeMp4 } from "../../tests/fixtures/media-files";
import { createDraftCourse, createUserWithRole, uploadFile } from "../../tests/fixtures/teach";
import { addLesson, setLessonPreview } from "~/teach/courses.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { assetVisibility, lessonVisibility } from "~/teach/media-access.server";

describe("who may fetch a course's media", () => {
  it("a draft's files and captions are for its editors only; once published, for everyone", async () => {
    const owner = await createUserWithRole("TRAINER");
    const other = await createUserWithRole("TRAINER");
    const admin = await createUserWithRole("ADMIN");
    const learner = await createUserWithRole("LEARNER");
    const { courseId, lessonId } = await createDraftCourse(owner);
    const file = path.join(path.dirname(getEnv().mediaDir), "access.mp4");
    await writeMp4(file, { durationSeconds: 200 });
    await uploadFile(owner, { courseId, lessonId, purpose: "LESSON_VIDEO" }, file);
    const { videoAssetId } = await db.lesson.findUniqueOrThrow({ where: { id: lessonId } });
    const as = (user: { id: string; role: "LEARNER" | "TRAINER" | "COORDINATOR" | "ADMIN" } | null) => async () =>
      user ? { ...user, email: "", name: "", locale: "vi", scopeProvinceId: null, scopeAgencyId: null } : null;

    expect(await assetVisibility(videoAssetId!, as(null))).toBeNull();
    expect(await assetVisibility(videoAssetId!, as(learner))).toBeNull();
    expect(await assetVisibility(videoAssetId!, as(other))).toBeNull();
    expect(await assetVisibility(videoAssetId!, as(owner))).toBe("editors");
    expect(await assetVisibility(videoAssetId!, as(admin))).toBe("editors");
    expect(await lessonVisibility(lessonId, as(other))).toBeNull();
    expect(await lessonVisibility(lessonId, as(owner))).toBe("editors");

    // A course's first lesson is its free preview: once published, anyone plays it.
    await db.course.update({ where: { id: courseId }, data: { status: "PUBLISHED" } });
    expect(await assetVisibility(videoAssetId!, as(null))).toBe("public");
    expect(await lessonVisibility(lessonId, as(null))).toBe("public");
    expect(await assetVisibility("cnotanassetatall000000", as(owner))).toBeNull();
  });

  it("a visitor without an account gets a published course's preview lessons only; a signed-in learner gets the rest", async () => {
    const owner = await createUserWithRole("TRAINER");
    const learner = await createUserWithRole("LEARNER");
    const { courseId, lessonId: first } = await createDraftCourse(owner);
    const second = await addLesson(courseId, { title: "Bài 2", titleEn: null, language: "vi", slug: null });
    if (!second.ok) throw new Error("lesson not created");
    const file = path.join(path.dirname(getEnv().mediaDir), "preview-access.mp4");
    await writeMp4(file, { durationSeconds: 190 });
    await uploadFile(owner, { courseId, lessonId: second.lessonId, purpose: "LESSON_VIDEO" }, file);
    const { videoAssetId, isPreview } = await db.lesson.findUniqueOrThrow({ where: { id: second.lessonId } });
    expect(isPreview).toBe(false);
    expect((await db.lesson.findUniqueOrThrow({ where: { id: first } })).isPreview).toBe(true);
    await db.course.update({ where: { id: courseId }, data: { status: "PUBLISHED" } });
    const as = (user: { id: string; role: "LEARNER" | "TRAINER" | "COORDINATOR" | "ADMIN" } | null) => async () =>
      user ? { ...user, email: "", name: "", locale: "vi", scopeProvinceId: null, scopeAgencyId: null } : null;

    // The adversary: no account, a media id or lesson id of a lesson that is not a preview.
    expect(await assetVisibility(videoAssetId!, as(null))).toBeNull();
    expect(await lessonVisibility(second.lessonId, as(null))).toBeNull();
    expect(await assetVisibility(videoAssetId!, as(learner))).toBe("members");
    expect(await lessonVisibility(second.lessonId, as(learner))).toBe("members");

    await setLessonPreview(courseId, second.lessonId, true);
    expect(await assetVisibility(videoAssetId!, as(null))).toBe("public");
    expect(await lessonVisibility(second.lessonId, as(null))).toBe("public");

    // A preview of an unpublished course is nobody's but its editors'.
    await db.course.update({ where: { id: courseId }, data: { status: "DRAFT" } });
    expect(await assetVisibility(videoAssetId!, as(null))).toBeNull();
    expect(await lessonVisibility(second.lessonId, as(null))).toBeNull();
    expect(await assetVisibility(videoAssetId!, as(learner))).toBeNull();
  });
});
