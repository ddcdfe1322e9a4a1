import { copyFile, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeMp4, writeWebm } from "../../tests/fixtures/media-files";
import { createDraftCourse, createUserWithRole, uploadFile } from "../../tests/fixtures/teach";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { readCourseTree } from "./course-files.server";
import { addLesson, setCaption, setCues, setMarkdownSlides, setQuiz, setTranscript } from "./courses.server";
import { ExportError, exportCourse } from "./export.server";
import { publishCourse } from "./publish.server";
import { syncCourses } from "./sync.server";

const scratch = () => path.dirname(getEnv().mediaDir);
// A 1×1 transparent PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

const QUIZ = {
  passMark: 50,
  questions: [
    {
      id: "q1",
      kind: "single",
      prompt: "Việt Nam phê chuẩn CRC năm nào?",
      options: [
        { id: "a", text: "1990", correct: true },
        { id: "b", text: "2015" },
      ],
    },
  ],
};

/** Everything learners see of a course, with ids and times left out. */
async function contentOf(code: string) {
  const course = await db.course.findUniqueOrThrow({
    where: { code },
    select: {
      code: true,
      title: true,
      titleEn: true,
      summary: true,
      language: true,
      status: true,
      convention: { select: { code: true } },
      coverAsset: { select: { sha256: true, mimeType: true } },
      lessons: {
        orderBy: { position: "asc" },
        select: {
          slug: true,
          position: true,
          title: true,
          language: true,
          durationSeconds: true,
          slidesKind: true,
          slidesMarkdown: true,
          slideCues: true,
          transcript: true,
          quiz: true,
          passMark: true,
          videoAsset: { select: { sha256: true, mimeType: true, durationSeconds: true } },
          slidesAsset: { select: { sha256: true, pageCount: true } },
          captions: { orderBy: { language: "asc" }, select: { language: true, label: true, vtt: true } },
        },
      },
    },
  });
  return { ...course, lessons: course.lessons.map((l) => ({ ...l, quiz: l.quiz ? JSON.parse(l.quiz) : null })) };
}

async function filesUnder(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const out: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full)] = (await readFile(full)).toString("base64");
  }
  return out;
}

describe("courses:export round trip", () => {
  it("a course made in the browser is written in the courses/ format and synced back unchanged", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const course = await db.course.findUniqueOrThrow({ where: { id: courseId } });

    // Lesson 1: MP4, PDF slides with cue times, two caption languages, transcript, quiz.
    const mp4 = path.join(scratch(), "rt.mp4");
    await writeMp4(mp4, { durationSeconds: 215.5, withAudio: true });
    await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, mp4);
    const pdf = path.join(scratch(), "rt.pdf");
    await copyFile(path.resolve("tests/fixtures/slides-3.pdf"), pdf);
    await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_SLIDES" }, pdf);
    expect(await setCues(courseId, lessonId, [0, 40, 100.5])).toEqual({ ok: true });
    await setCaption(courseId, lessonId, {
      language: "vi",
      label: "Tiếng Việt",
      vtt: "WEBVTT\n\n00:00.000 --> 00:02.000\nXin chào.\n",
    });
    await setCaption(courseId, lessonId, {
      language: "en",
      label: "English",
      vtt: "WEBVTT\n\n00:00.000 --> 00:02.000\nHello.\n",
    });
    await setTranscript(courseId, lessonId, "Xin chào.\n---\nPhần hai.");
    expect(await setQuiz(courseId, lessonId, QUIZ)).toEqual({ ok: true });

    // Lesson 2: WebM and Markdown slides.
    const second = await addLesson(courseId, { title: "Bài 2", titleEn: "Lesson 2", language: "vi", slug: "bai-2" });
    if (!second.ok) throw new Error("no lesson");
    const webm = path.join(scratch(), "rt.webm");
    await writeWebm(webm, { durationSeconds: 250 });
    await uploadFile(trainer, { courseId, lessonId: second.lessonId, purpose: "LESSON_VIDEO" }, webm);
    await setMarkdownSlides(courseId, second.lessonId, "# Một\n\n- ý\n---\n# Hai");
    await setCaption(courseId, second.lessonId, {
      language: "vi",
      label: "Tiếng Việt",
      vtt: "WEBVTT\n\n00:00.000 --> 00:02.000\nHai.\n",
    });

    const cover = path.join(scratch(), "cover.png");
    await writeFile(cover, PNG);
    await uploadFile(trainer, { courseId, purpose: "COURSE_COVER" }, cover);
    expect(await publishCourse(courseId)).toEqual({ ok: true });
    const before = await contentOf(course.code);

    const root = await mkdtemp(path.join(scratch(), "export-"));
    const report = await exportCourse(course.code, root);
    expect(report.dir).toBe(path.join(root, "crc", course.code));
    expect(report.files).toEqual([
      "course.yaml",
      "cover.png",
      "lessons/bai-1-cong-uoc-la-gi/captions.en.vtt",
      "lessons/bai-1-cong-uoc-la-gi/captions.vi.vtt",
      "lessons/bai-1-cong-uoc-la-gi/lesson.yaml",
      "lessons/bai-1-cong-uoc-la-gi/quiz.yaml",
      "lessons/bai-1-cong-uoc-la-gi/slides.pdf",
      "lessons/bai-1-cong-uoc-la-gi/transcript.md",
      "lessons/bai-1-cong-uoc-la-gi/video.mp4",
      "lessons/bai-2/captions.vi.vtt",
      "lessons/bai-2/lesson.yaml",
      "lessons/bai-2/slides.md",
      "lessons/bai-2/video.webm",
    ]);
    // What sync reads back is the course as it was.
    const [source] = await readCourseTree(root);
    expect(source).toMatchObject({ code: course.code, convention: "CRC", status: "published" });
    expect(source!.lessons.map((l) => [l.slug, l.slideCount, l.cues])).toEqual([
      ["bai-1-cong-uoc-la-gi", 3, [0, 40, 100.5]],
      ["bai-2", 2, []],
    ]);

    // Move it "to another server": drop it here, sync the files in.
    await db.course.delete({ where: { id: courseId } });
    const synced = await syncCourses(root);
    expect(synced.courses).toEqual([{ code: course.code, action: "created" }]);
    expect(await contentOf(course.code)).toEqual(before);

    // And back out again: the same files, byte for byte.
    const again = await mkdtemp(path.join(scratch(), "export-again-"));
    await exportCourse(course.code, again);
    expect(await filesUnder(path.join(again, "crc", course.code))).toEqual(await filesUnder(report.dir));

    // A second sync of the same files changes nothing.
    const second_ = await syncCourses(root);
    expect(second_.courses).toEqual([{ code: course.code, action: "unchanged" }]);
  });

  it("refuses, writing nothing, when a lesson has no video file on this server", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId } = await createDraftCourse(trainer);
    const { code } = await db.course.findUniqueOrThrow({ where: { id: courseId } });
    const root = await mkdtemp(path.join(scratch(), "export-empty-"));
    await expect(exportCourse(code, root)).rejects.toThrow(ExportError);
    await expect(exportCourse(code, root)).rejects.toThrow(/has no video/);
    await expect(exportCourse("no-such-course", root)).rejects.toThrow(/no course/);
    expect(await readdir(root)).toEqual([]);
  });
});
