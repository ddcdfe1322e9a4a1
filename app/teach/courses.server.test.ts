import path from "node:path";
import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { writeMp4, writeWebm } from "../../tests/fixtures/media-files";
import { createDraftCourse, createUserWithRole, uploadFile } from "../../tests/fixtures/teach";
import { cueProblem } from "~/catalog/slides";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import {
  addLesson,
  createCourse,
  deleteLesson,
  getLessonForAuthor,
  moveLesson,
  setCaption,
  setCues,
  setMarkdownSlides,
  setQuiz,
} from "./courses.server";
import { formatCue, parseClock } from "./cue-times";

const scratch = (name: string) => path.join(path.dirname(getEnv().mediaDir), name);

describe("cue times", () => {
  it("cueProblem: first at 0, increasing, one per slide, before the end", () => {
    expect(cueProblem([], 4, 200)).toBeNull();
    expect(cueProblem([0, 30, 90], 3, 200)).toBeNull();
    expect(cueProblem([5, 30, 90], 3, 200)).toEqual({ code: "firstNotZero" });
    expect(cueProblem([0, 90, 30], 3, 200)).toEqual({ code: "notIncreasing" });
    expect(cueProblem([0, 30, 30], 3, 200)).toEqual({ code: "notIncreasing" });
    expect(cueProblem([0, 30], 3, 200)).toEqual({ code: "countMismatch", slides: 3, cues: 2 });
    expect(cueProblem([0, 30, 200], 3, 200)).toEqual({ code: "pastEnd", duration: 200 });
    expect(cueProblem([0, Number.NaN, 40], 3, 200)).toEqual({ code: "notIncreasing" });
  });

  it("typed times: m:ss, h:mm:ss and seconds", () => {
    expect(parseClock("1:23")).toBe(83);
    expect(parseClock("1:23.5")).toBe(83.5);
    expect(parseClock("0:00")).toBe(0);
    expect(parseClock("1:02:03")).toBe(3723);
    expect(parseClock("83.5")).toBe(83.5);
    expect(parseClock("1:75")).toBeNull();
    expect(parseClock("abc")).toBeNull();
    expect(parseClock("-3")).toBeNull();
    expect(formatCue(83.5)).toBe("1:23.5");
    expect(formatCue(83.96)).toBe("1:24");
    expect(formatCue(0)).toBe("0:00");
  });

  it("setCues checks against the deck and the measured video; a bad set changes nothing", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    await setMarkdownSlides(courseId, lessonId, "# A\n---\n# B\n---\n# C");
    const video = scratch("cues.webm");
    await writeWebm(video, { durationSeconds: 200 });
    await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, video);

    expect(await setCues(courseId, lessonId, [0, 42.04, 120])).toEqual({ ok: true });
    expect((await getLessonForAuthor(courseId, lessonId))!.cues).toEqual([0, 42, 120]);
    expect(await setCues(courseId, lessonId, [0, 42, 250])).toEqual({
      ok: false,
      problem: { code: "pastEnd", duration: 200 },
    });
    expect(await setCues(courseId, lessonId, [0, 42])).toMatchObject({ ok: false, problem: { code: "countMismatch" } });
    expect((await getLessonForAuthor(courseId, lessonId))!.cues).toEqual([0, 42, 120]);

    // A deck with another number of slides clears cue times that no longer line up.
    expect(await setMarkdownSlides(courseId, lessonId, "# A\n---\n# B")).toEqual({ ok: true, cuesCleared: true });
    expect((await getLessonForAuthor(courseId, lessonId))!.cues).toEqual([]);
  });

  it("refuses a deck with an image from another server and keeps the saved one", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    await setMarkdownSlides(courseId, lessonId, "# A");
    expect(await setMarkdownSlides(courseId, lessonId, "# A\n\n![x](https://tracker.example/p.png)")).toEqual({
      ok: false,
      error: "remoteImages",
      images: ["https://tracker.example/p.png"],
    });
    expect(await db.lesson.findUniqueOrThrow({ where: { id: lessonId }, select: { slidesMarkdown: true } })).toEqual({
      slidesMarkdown: "# A",
    });
  });
});

describe("captions", () => {
  it("a valid WebVTT is stored per language; a broken one is refused with its line number", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const good = "\uFEFFWEBVTT\n\n00:00.000 --> 00:03.000\nXin chào.\n\n00:03.000 --> 00:06.000\nCông ước.\n";
    expect(await setCaption(courseId, lessonId, { language: "vi", label: "Tiếng Việt", vtt: good })).toEqual({
      ok: true,
      cueCount: 2,
    });
    const broken = "WEBVTT\n\n00:00.000 --> 00:03.000\nMột.\n\n00:0x.000 --> 00:06.000\nHai.\n";
    const result = await setCaption(courseId, lessonId, { language: "en", label: "English", vtt: broken });
    expect(result).toMatchObject({ ok: false, error: "invalidVtt", line: 6 });
    const notVtt = await setCaption(courseId, lessonId, {
      language: "en",
      label: "English",
      vtt: "1\n00:00:00,000 --> 00:00:03,000\nSRT\n",
    });
    expect(notVtt).toMatchObject({ ok: false, line: 1 });
    const captions = await db.lessonCaption.findMany({ where: { lessonId } });
    expect(captions.map((c) => c.language)).toEqual(["vi"]);
    expect(captions[0]!.vtt.startsWith("WEBVTT")).toBe(true);
  });
});

describe("lessons keep their identity", () => {
  it("replacing the video keeps the lesson id and past completions", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const learner = await createUserWithRole("LEARNER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const first = scratch("first.mp4");
    const second = scratch("second.mp4");
    await writeMp4(first, { durationSeconds: 200 });
    await writeMp4(second, { durationSeconds: 280 });
    await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, first);
    await db.lessonProgress.create({
      data: { userId: learner.id, lessonId, watchedSeconds: 200, completedAt: new Date() },
    });

    expect((await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, second)).outcome.kind).toBe(
      "done",
    );
    const lesson = await db.lesson.findUniqueOrThrow({ where: { id: lessonId } });
    expect(lesson.durationSeconds).toBe(280);
    expect(await db.lessonProgress.findFirst({ where: { lessonId, userId: learner.id } })).toMatchObject({
      completedAt: expect.any(Date),
    });
  });

  it("a refused replacement leaves the current video as it was", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const good = scratch("good.mp4");
    const long = scratch("long.mp4");
    await writeMp4(good, { durationSeconds: 222 });
    await writeMp4(long, { durationSeconds: 312 });
    await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, good);
    const before = await db.lesson.findUniqueOrThrow({ where: { id: lessonId } });
    const { outcome } = await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, long);
    expect(outcome).toEqual({ kind: "refused", refusal: { code: "tooLong", values: { measured: "5:12" } } });
    expect(await db.lesson.findUniqueOrThrow({ where: { id: lessonId } })).toEqual(before);
  });

  it("lessons are reordered with their ids; one with learners cannot be deleted", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const learner = await createUserWithRole("LEARNER");
    const { courseId, lessonId: one } = await createDraftCourse(trainer);
    const two = await addLesson(courseId, { title: "Bài 2", titleEn: null, language: "vi", slug: null });
    const three = await addLesson(courseId, { title: "Bài 2", titleEn: null, language: "vi", slug: null });
    if (!two.ok || !three.ok) throw new Error("lessons not added");
    const order = async () =>
      (await db.lesson.findMany({ where: { courseId }, orderBy: { position: "asc" } })).map((l) => [l.id, l.slug]);
    expect((await order()).map(([, slug]) => slug)).toEqual(["bai-1-cong-uoc-la-gi", "bai-2", "bai-2-2"]);

    expect(await moveLesson(courseId, three.lessonId, "up")).toBe(true);
    expect((await order()).map(([id]) => id)).toEqual([one, three.lessonId, two.lessonId]);
    expect(await moveLesson(courseId, one, "up")).toBe(false);
    expect(await addLesson(courseId, { title: "X", titleEn: null, language: "vi", slug: "bai-2" })).toEqual({
      ok: false,
      field: "slug",
      error: "teach:validation.slugTaken",
    });

    await db.lessonProgress.create({ data: { userId: learner.id, lessonId: two.lessonId } });
    expect(await deleteLesson(courseId, two.lessonId)).toEqual({ ok: false, error: "hasLearners" });
    expect(await deleteLesson(courseId, three.lessonId)).toEqual({ ok: true });
    expect(
      (await db.lesson.findMany({ where: { courseId }, orderBy: { position: "asc" } })).map((l) => [l.id, l.position]),
    ).toEqual([
      [one, 0],
      [two.lessonId, 1],
    ]);
  });
});

describe("courses and quizzes", () => {
  it("course codes come from the title and stay unique", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const input = {
      convention: "CEDAW" as const,
      title: "Bình đẳng giới",
      titleEn: null,
      summary: "Tóm tắt",
      summaryEn: null,
      language: "vi",
    };
    const a = await createCourse(trainer, { ...input, code: null });
    const b = await createCourse(trainer, { ...input, code: null });
    if (!a.ok || !b.ok) throw new Error("not created");
    const codes = await db.course.findMany({
      where: { id: { in: [a.courseId, b.courseId] } },
      select: { code: true, status: true },
    });
    expect(codes.map((c) => c.code).sort()).toEqual(["binh-dang-gioi", "binh-dang-gioi-2"]);
    expect(codes.every((c) => c.status === "DRAFT")).toBe(true);
    expect(await createCourse(trainer, { ...input, code: "binh-dang-gioi" })).toEqual({
      ok: false,
      field: "code",
      error: "teach:validation.codeTaken",
    });
    expect(await db.courseOwner.count({ where: { userId: trainer.id, role: "OWNER" } })).toBe(2);
  });

  it("a knowledge check is stored when valid and refused with reasons otherwise", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const quiz = {
      passMark: 60,
      questions: [
        {
          id: "q1",
          kind: "single",
          prompt: "Năm?",
          options: [
            { id: "a", text: "1990", correct: true },
            { id: "b", text: "2000" },
          ],
        },
        {
          id: "q2",
          kind: "multiple",
          prompt: "Quyền?",
          options: [
            { id: "a", text: "Sống", correct: true },
            { id: "b", text: "Học", correct: true },
            { id: "c", text: "Không" },
          ],
        },
      ],
    };
    expect(await setQuiz(courseId, lessonId, quiz)).toEqual({ ok: true });
    expect(await db.lesson.findUniqueOrThrow({ where: { id: lessonId } })).toMatchObject({ passMark: 60 });
    const bad = {
      ...quiz,
      questions: [
        {
          ...quiz.questions[0]!,
          options: [
            { id: "a", text: "x", correct: true },
            { id: "b", text: "y", correct: true },
          ],
        },
      ],
    };
    const refused = await setQuiz(courseId, lessonId, bad);
    expect(refused).toEqual({ ok: false, problems: [{ code: "singleCorrect", n: 1 }] });
    const blank = {
      passMark: 0,
      questions: [
        {
          id: "q1",
          kind: "multiple",
          prompt: " ",
          options: [
            { id: "a", text: "", correct: false },
            { id: "b", text: "y" },
          ],
        },
      ],
    };
    expect(await setQuiz(courseId, lessonId, blank)).toEqual({
      ok: false,
      problems: [
        { code: "passMark" },
        { code: "prompt", n: 1 },
        { code: "optionText", n: 1, m: 1 },
        { code: "multipleCorrect", n: 1 },
      ],
    });
    expect((await getLessonForAuthor(courseId, lessonId))!.quiz!.questions).toHaveLength(2);

    // The editor's attempt settings and explanations are kept as written.
    const withSettings = {
      ...quiz,
      attemptsPerRound: 5,
      cooldownMinutes: 30,
      questionsPerAttempt: 1,
      questions: [{ ...quiz.questions[0]!, explanation: "Vì năm đó." }, quiz.questions[1]!],
    };
    expect(await setQuiz(courseId, lessonId, withSettings)).toEqual({ ok: true });
    const stored = JSON.parse((await db.lesson.findUniqueOrThrow({ where: { id: lessonId } })).quiz!);
    expect(stored).toMatchObject({ attemptsPerRound: 5, cooldownMinutes: 30, questionsPerAttempt: 1 });
    expect(stored.questions[0].explanation).toBe("Vì năm đó.");
    expect(await setQuiz(courseId, lessonId, { ...withSettings, questionsPerAttempt: 3 })).toEqual({
      ok: false,
      problems: [{ code: "questionsPerAttempt" }],
    });

    expect(await setQuiz(courseId, lessonId, null)).toEqual({ ok: true });
    expect(await db.lesson.findUniqueOrThrow({ where: { id: lessonId } })).toMatchObject({
      quiz: null,
      passMark: null,
    });
  });

  it("PDF slides count their pages; a broken PDF is refused and nothing is stored", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const pdf = scratch("deck.pdf");
    await writeFile(
      pdf,
      await (await import("node:fs/promises")).readFile(path.resolve("tests/fixtures/slides-3.pdf")),
    );
    const { outcome } = await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_SLIDES" }, pdf);
    expect(outcome).toMatchObject({ kind: "done", pageCount: 3 });
    expect((await getLessonForAuthor(courseId, lessonId))!).toMatchObject({ slidesKind: "PDF", slideCount: 3 });

    const broken = scratch("broken.pdf");
    await writeFile(broken, "%PDF-1.4\nthis is not really a PDF\n".repeat(20));
    const assets = await db.mediaAsset.count();
    const refused = await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_SLIDES" }, broken);
    expect(refused.outcome).toMatchObject({ kind: "refused", refusal: { code: "pdfUnreadable" } });
    expect(await db.mediaAsset.count()).toBe(assets);
  });
});
