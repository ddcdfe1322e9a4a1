import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeMp4 } from "../../tests/fixtures/media-files";
import { createDraftCourse, createUserWithRole, uploadFile } from "../../tests/fixtures/teach";
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

    await db.course.update({ where: { id: courseId }, data: { status: "PUBLISHED" } });
    expect(await assetVisibility(videoAssetId!, as(null))).toBe("public");
    expect(await lessonVisibility(lessonId, as(null))).toBe("public");
    expect(await assetVisibility("cnotanassetatall000000", as(owner))).toBeNull();
  });
});
