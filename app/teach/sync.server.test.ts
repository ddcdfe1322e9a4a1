import { cp, mkdir, readdir, writeFile } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { CourseFilesError } from "./course-files.server";
import { syncCourses } from "./sync.server";

const VIDEO = path.resolve("tests/fixtures/lesson-200s.mp4");

async function writeCourse(
  root: string,
  lessons: { slug: string; title: string; slides?: string; cues?: number[]; preview?: boolean }[],
) {
  const dir = path.join(root, "cedaw", "cedaw-test");
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, "course.yaml"),
    [
      "code: cedaw-test",
      "convention: CEDAW",
      "language: vi",
      'title: "Khóa học thử"',
      'titleEn: "Test course"',
      'summary: "Tóm tắt."',
      "lessons:",
      ...lessons.map((l) => `  - ${l.slug}`),
    ].join("\n"),
  );
  for (const lesson of lessons) {
    const lessonDir = path.join(dir, "lessons", lesson.slug);
    await mkdir(lessonDir, { recursive: true });
    await cp(VIDEO, path.join(lessonDir, "video.mp4"));
    await writeFile(path.join(lessonDir, "slides.md"), lesson.slides ?? "# Một\n\n---\n\n# Hai\n");
    await writeFile(path.join(lessonDir, "captions.vi.vtt"), "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nXin chào\n");
    await writeFile(path.join(lessonDir, "transcript.md"), "Đoạn một.\n\n---\n\nĐoạn hai.\n");
    await writeFile(
      path.join(lessonDir, "lesson.yaml"),
      [
        `title: "${lesson.title}"`,
        "language: vi",
        "video: video.mp4",
        "slides: slides.md",
        `cues: [${(lesson.cues ?? [0, 100]).join(", ")}]`,
        "captions:",
        '  - { language: vi, label: "Tiếng Việt", file: captions.vi.vtt }',
        "transcript: transcript.md",
        ...(lesson.preview === undefined ? [] : [`preview: ${lesson.preview}`]),
      ].join("\n"),
    );
  }
  return dir;
}

async function snapshot() {
  const lessons = await db.lesson.findMany({
    orderBy: { slug: "asc" },
    select: { id: true, slug: true, title: true, updatedAt: true, durationSeconds: true },
  });
  const assets = await db.mediaAsset.count();
  return { lessons, assets };
}

async function mediaFiles() {
  const dir = getEnv().mediaDir;
  const found: string[] = [];
  async function walk(d: string) {
    for (const entry of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else found.push(path.relative(dir, full));
    }
  }
  await walk(dir);
  return found.sort();
}

describe("syncCourses", () => {
  let root: string;
  beforeEach(async () => {
    await seedReferenceData();
    root = mkdtempSync(path.join(tmpdir(), "courses-"));
  });

  it("loads a course, then changes nothing on a second run", async () => {
    await writeCourse(root, [
      { slug: "01-mot", title: "Bài một" },
      { slug: "02-hai", title: "Bài hai" },
    ]);
    const first = await syncCourses(root);
    expect(first.courses).toEqual([{ code: "cedaw-test", action: "created" }]);
    expect(first.lessons).toMatchObject({ created: 2 });
    const before = await snapshot();
    expect(before.lessons.map((l) => l.durationSeconds)).toEqual([200, 200]);
    expect(before.assets).toBe(1); // the same bytes are stored once
    // Unsaid, the first lesson is the free preview.
    expect(
      (await db.lesson.findMany({ orderBy: { position: "asc" }, select: { isPreview: true } })).map((l) => l.isPreview),
    ).toEqual([true, false]);

    const second = await syncCourses(root);
    expect(second.courses).toEqual([{ code: "cedaw-test", action: "unchanged" }]);
    expect(second.lessons).toEqual({ created: 0, updated: 0, unchanged: 2, removed: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it("takes preview: true/false from lesson.yaml", async () => {
    await writeCourse(root, [
      { slug: "01-mot", title: "Bài một", preview: false },
      { slug: "02-hai", title: "Bài hai", preview: true },
    ]);
    await syncCourses(root);
    expect(
      (await db.lesson.findMany({ orderBy: { position: "asc" }, select: { isPreview: true } })).map((l) => l.isPreview),
    ).toEqual([false, true]);
  });

  it("updates an edited lesson in place, keeping its id", async () => {
    await writeCourse(root, [
      { slug: "01-mot", title: "Bài một" },
      { slug: "02-hai", title: "Bài hai" },
    ]);
    await syncCourses(root);
    const before = await snapshot();
    await writeCourse(root, [
      { slug: "01-mot", title: "Bài một (sửa)" },
      { slug: "02-hai", title: "Bài hai" },
    ]);
    const report = await syncCourses(root);
    expect(report.lessons).toMatchObject({ updated: 1, unchanged: 1 });
    const after = await snapshot();
    expect(after.lessons.map((l) => l.id)).toEqual(before.lessons.map((l) => l.id));
    expect(after.lessons[0]!.title).toBe("Bài một (sửa)");
    expect(after.lessons[1]!.updatedAt).toEqual(before.lessons[1]!.updatedAt);
  });

  it("reports a malformed file with its path and reason, and changes nothing", async () => {
    await writeCourse(root, [{ slug: "01-mot", title: "Bài một" }]);
    await syncCourses(root);
    const before = await snapshot();
    const files = await mediaFiles();
    const dir = await writeCourse(root, [
      { slug: "01-mot", title: "Bài một (sửa)", cues: [0, 50, 20] },
      { slug: "02-hai", title: "Bài hai" },
    ]);
    await writeFile(
      path.join(dir, "lessons", "02-hai", "captions.vi.vtt"),
      "WEBVTT\n\n00:00:00.000 -> 00:00:05.000\nSai\n",
    );

    const error = await syncCourses(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CourseFilesError);
    const problems = (error as CourseFilesError).errors;
    expect(problems.some((p) => p.path.endsWith("01-mot/lesson.yaml") && p.reason.includes("cues"))).toBe(true);
    expect(problems.some((p) => /02-hai\/captions\.vi\.vtt:\d+$/.test(p.path) && p.reason.includes("WebVTT"))).toBe(
      true,
    );
    expect(await snapshot()).toEqual(before);
    expect(await mediaFiles()).toEqual(files);
  });

  it("refuses a deck that shows an image from another server, naming it", async () => {
    const before = await snapshot();
    await writeCourse(root, [
      { slug: "01-mot", title: "Bài một", slides: "# Một\n\n![](https://tracker.example/p.png)\n\n---\n\n# Hai\n" },
    ]);
    const error = await syncCourses(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CourseFilesError);
    expect((error as CourseFilesError).errors).toEqual([
      expect.objectContaining({
        path: expect.stringMatching(/01-mot\/slides\.md$/),
        reason: expect.stringContaining("https://tracker.example/p.png"),
      }),
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a video outside 3–5 minutes, or not a video at all, and loads nothing", async () => {
    await db.course.deleteMany({ where: { code: "cedaw-test" } });
    await writeCourse(root, [
      { slug: "01-mot", title: "Bài một" },
      { slug: "02-hai", title: "Bài hai" },
    ]);
    const lessons = path.join(root, "cedaw", "cedaw-test", "lessons");
    await cp(path.resolve("tests/fixtures/lesson-170s.mp4"), path.join(lessons, "01-mot", "video.mp4"));
    await writeFile(path.join(lessons, "02-hai", "video.mp4"), "this is not a video");
    const error = (await syncCourses(root).catch((e: unknown) => e)) as CourseFilesError;
    expect(error).toBeInstanceOf(CourseFilesError);
    expect(error.errors).toHaveLength(2);
    expect(error.errors[0]).toMatchObject({ reason: "the video is 2:50; lessons must be 3 to 5 minutes" });
    expect(error.errors[1]!.path).toMatch(/02-hai\/video\.mp4$/);
    expect(await db.course.count({ where: { code: "cedaw-test" } })).toBe(0);
  });
});
