import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { writeMp4, writeWebm } from "../../tests/fixtures/media-files";
import { forgeWebmDuration, realMedia } from "../../tests/fixtures/real-media";
import { createDraftCourse, createUserWithRole, uploadFile } from "../../tests/fixtures/teach";
import { fillDiskAfter, makeMediaReadOnly, restoreStorage } from "../../tests/helpers/storage-faults";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { receiveChunk, startUpload } from "~/teach/uploads.server";
import { sweepStaleUploads, uploadTempPath } from "./upload.server";

const mediaDir = () => getEnv().mediaDir;
const scratch = () => path.join(path.dirname(mediaDir()), "files");

/** Every file under MEDIA_DIR, temporary ones included. */
async function storedFiles(): Promise<string[]> {
  const entries = await readdir(mediaDir(), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function snapshot() {
  return {
    files: (await storedFiles()).sort(),
    assets: await db.mediaAsset.count(),
    uploads: await db.mediaUpload.count(),
  };
}

async function expectNothingStored(lessonId: string, before: Awaited<ReturnType<typeof snapshot>>) {
  expect(await snapshot()).toEqual(before);
  const lesson = await db.lesson.findUniqueOrThrow({ where: { id: lessonId } });
  expect(lesson.videoAssetId).toBeNull();
  expect(lesson.durationSeconds).toBeNull();
}

beforeAll(async () => {
  await (await import("node:fs/promises")).mkdir(scratch(), { recursive: true });
});

describe("video uploads to local storage", () => {
  it("accepts a 4-minute MP4 sent in chunks and makes it the lesson's video", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const file = path.join(scratch(), "four-minutes.mp4");
    await writeMp4(file, { durationSeconds: 240, withAudio: true, mediaBytes: 3 * 1024 * 1024 });

    const { outcome } = await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, file);
    expect(outcome.kind).toBe("done");
    const lesson = await db.lesson.findUniqueOrThrow({ where: { id: lessonId }, include: { videoAsset: true } });
    expect(lesson.durationSeconds).toBe(240);
    expect(lesson.videoAsset).toMatchObject({
      kind: "VIDEO",
      storage: "LOCAL",
      status: "READY",
      mimeType: "video/mp4",
    });
    const stored = await readFile(path.join(mediaDir(), lesson.videoAsset!.storageKey!));
    expect(stored.equals(await readFile(file))).toBe(true);
    expect(await db.mediaUpload.count()).toBe(0);
    const leftovers = (await storedFiles()).filter((f) => path.relative(mediaDir(), f).startsWith(`tmp${path.sep}`));
    expect(leftovers).toEqual([]);
  });

  it("accepts a WebM and stores it as video/webm", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const file = path.join(scratch(), "lesson.webm");
    await writeWebm(file, { durationSeconds: 200 });
    const { outcome } = await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, file, 1024);
    expect(outcome.kind).toBe("done");
    const lesson = await db.lesson.findUniqueOrThrow({ where: { id: lessonId }, include: { videoAsset: true } });
    expect(lesson.videoAsset?.mimeType).toBe("video/webm");
    expect(lesson.videoAsset?.storageKey).toMatch(/\.webm$/);
  });
});

describe("refused uploads leave nothing behind", () => {
  const cases: { name: string; make: (file: string) => Promise<void>; code: string; measured?: string }[] = [
    { name: "a 5:01 video", make: (f) => writeMp4(f, { durationSeconds: 301 }), code: "tooLong", measured: "5:01" },
    { name: "a 2:59 video", make: (f) => writeMp4(f, { durationSeconds: 179.5 }), code: "tooShort", measured: "2:59" },
    { name: "a text file named .mp4", make: (f) => writeFile(f, "not a video\n".repeat(5000)), code: "notVideo" },
    {
      name: "a truncated MP4",
      make: (f) => writeMp4(f, { durationSeconds: 240, truncateTo: 150_000 }),
      code: "truncated",
    },
    {
      name: "a 30 s video whose header claims 3:20",
      make: (f) => writeMp4(f, { durationSeconds: 30, declaredSeconds: 200 }),
      code: "durationMismatch",
      measured: "0:30",
    },
    {
      name: "an MP4 without video",
      make: (f) => writeMp4(f, { durationSeconds: 240, videoCodec: null }),
      code: "noVideo",
    },
  ];
  for (const { name, make, code, measured } of cases) {
    it(name, async () => {
      const trainer = await createUserWithRole("TRAINER");
      const { courseId, lessonId } = await createDraftCourse(trainer);
      const file = path.join(scratch(), `refused-${code}.mp4`);
      await make(file);
      const before = await snapshot();
      const { outcome } = await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, file, 64 * 1024);
      expect(outcome).toMatchObject({ kind: "refused", refusal: { code } });
      if (measured) expect(outcome).toMatchObject({ refusal: { values: { measured } } });
      await expectNothingStored(lessonId, before);
    });
  }

  it("a file over the size limit is refused before any byte is sent", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const before = await snapshot();
    const result = await startUpload(
      trainer,
      { purpose: "LESSON_VIDEO", courseId, lessonId, fileName: "big.mp4", sizeBytes: getEnv().MAX_UPLOAD_BYTES + 1 },
      "http://localhost",
    );
    expect(result).toMatchObject({ ok: false, status: 413, refusal: { code: "tooLarge", values: { limit: "1 GB" } } });
    await expectNothingStored(lessonId, before);
  });

  it("a PDF sent as a video is refused at its first chunk", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const file = path.join(scratch(), "slides-as-video.mp4");
    await writeFile(file, Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(512 * 1024)]));
    const before = await snapshot();
    const start = await startUpload(
      trainer,
      { purpose: "LESSON_VIDEO", courseId, lessonId, fileName: "x.mp4", sizeBytes: 512 * 1024 + 9 },
      "x",
    );
    if (!start.ok) throw new Error("not started");
    const bytes = await readFile(file);
    const outcome = await receiveChunk(
      trainer,
      start.uploadId,
      { first: 0, last: 65535, total: bytes.length },
      new Blob([bytes.subarray(0, 65536)]).stream(),
    );
    expect(outcome).toMatchObject({ kind: "refused", refusal: { code: "notVideo" } });
    await expectNothingStored(lessonId, before);
  });
});

describe("a recording made by a browser goes through the same pipeline", () => {
  // Chromium's MediaRecorder writes no Info/Duration (tests/fixtures/media):
  // the length can only come from the blocks. Lessons last 3 to 5 minutes, so
  // the 3 s recording is refused, which shows it was measured, and its forged
  // copy claiming 3:20 (a lesson length) is refused, not accepted.
  async function uploadRecording(name: string, bytes: Buffer) {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const file = path.join(scratch(), name);
    await writeFile(file, bytes);
    const before = await snapshot();
    const { outcome } = await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, file, 4096);
    await expectNothingStored(lessonId, before);
    return outcome;
  }

  it("Chromium's 3 s WebM, sent in chunks, is measured from its blocks and refused as too short", async () => {
    const outcome = await uploadRecording("chrome.webm", await realMedia("chrome-3s.webm"));
    expect(outcome).toMatchObject({ kind: "refused", refusal: { code: "tooShort", values: { measured: "0:02" } } });
  });

  it("the same WebM with an Info/Duration patched in to claim 3:20 is refused as inconsistent", async () => {
    const outcome = await uploadRecording(
      "chrome-forged.webm",
      forgeWebmDuration(await realMedia("chrome-3s.webm"), 200_000),
    );
    expect(outcome).toMatchObject({
      kind: "refused",
      refusal: { code: "durationMismatch", values: { declared: "3:20", measured: "0:02" } },
    });
  });

  it("Chromium's fragmented MP4 is measured from its fragments and refused as too short", async () => {
    const outcome = await uploadRecording("chrome.mp4", await realMedia("chrome-3s-video.mp4"));
    expect(outcome).toMatchObject({ kind: "refused", refusal: { code: "tooShort", values: { measured: "0:03" } } });
  });
});

describe("resuming", () => {
  it("a chunk cut short counts for what arrived; the same file picked again continues from there", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const file = path.join(scratch(), "resume.mp4");
    await writeMp4(file, { durationSeconds: 200, mediaBytes: 600 * 1024 });
    const bytes = await readFile(file);
    const target = {
      purpose: "LESSON_VIDEO" as const,
      courseId,
      lessonId,
      fileName: "resume.mp4",
      sizeBytes: bytes.length,
    };
    const start = await startUpload(trainer, target, "x");
    if (!start.ok || start.storage !== "local") throw new Error("not started");

    // The connection drops after 100 000 of the chunk's 300 000 bytes.
    let pulls = 0;
    const dropped = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(bytes.subarray(0, 100_000));
        else controller.error(new Error("connection reset"));
      },
    });
    const first = await receiveChunk(
      trainer,
      start.uploadId,
      { first: 0, last: 299_999, total: bytes.length },
      dropped,
    );
    expect(first).toEqual({ kind: "incomplete", receivedBytes: 100_000 });

    // A chunk starting past what arrived is a conflict, and says where to resume.
    const ahead = await receiveChunk(
      trainer,
      start.uploadId,
      { first: 300_000, last: 399_999, total: bytes.length },
      new Blob([bytes.subarray(300_000, 400_000)]).stream(),
    );
    expect(ahead).toEqual({ kind: "conflict", receivedBytes: 100_000 });

    // Picking the same file again finds the unfinished upload.
    const again = await startUpload(trainer, target, "x");
    expect(again).toMatchObject({ ok: true, uploadId: start.uploadId, receivedBytes: 100_000 });
    const rest = await receiveChunk(
      trainer,
      start.uploadId,
      { first: 100_000, last: bytes.length - 1, total: bytes.length },
      new Blob([bytes.subarray(100_000)]).stream(),
    );
    expect(rest.kind).toBe("done");
    const lesson = await db.lesson.findUniqueOrThrow({ where: { id: lessonId }, include: { videoAsset: true } });
    expect((await readFile(path.join(mediaDir(), lesson.videoAsset!.storageKey!))).equals(bytes)).toBe(true);
  });

  it("a retried chunk that had already arrived is accepted again without harm", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const file = path.join(scratch(), "retry.webm");
    await writeWebm(file, { durationSeconds: 190 });
    const bytes = await readFile(file);
    const start = await startUpload(
      trainer,
      { purpose: "LESSON_VIDEO", courseId, lessonId, fileName: "retry.webm", sizeBytes: bytes.length },
      "x",
    );
    if (!start.ok) throw new Error("not started");
    const half = Math.floor(bytes.length / 2);
    const chunk = () => new Blob([bytes.subarray(0, half)]).stream();
    expect(
      await receiveChunk(trainer, start.uploadId, { first: 0, last: half - 1, total: bytes.length }, chunk()),
    ).toEqual({ kind: "incomplete", receivedBytes: half });
    expect(
      await receiveChunk(trainer, start.uploadId, { first: 0, last: half - 1, total: bytes.length }, chunk()),
    ).toEqual({ kind: "incomplete", receivedBytes: half });
    const done = await receiveChunk(
      trainer,
      start.uploadId,
      { first: half, last: bytes.length - 1, total: bytes.length },
      new Blob([bytes.subarray(half)]).stream(),
    );
    expect(done.kind).toBe("done");
  });

  it("only the trainer who started an upload may send its chunks", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const other = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const start = await startUpload(
      trainer,
      { purpose: "LESSON_VIDEO", courseId, lessonId, fileName: "a.mp4", sizeBytes: 10 },
      "x",
    );
    if (!start.ok) throw new Error("not started");
    expect(
      await receiveChunk(
        other,
        start.uploadId,
        { first: 0, last: 9, total: 10 },
        new Blob([Buffer.alloc(10)]).stream(),
      ),
    ).toEqual({ kind: "forbidden" });
    expect(
      await startUpload(other, { purpose: "LESSON_VIDEO", courseId, lessonId, fileName: "a.mp4", sizeBytes: 10 }, "x"),
    ).toEqual({ ok: false, status: 403 });
  });

  it("abandoned uploads are swept after a day, with their bytes", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const start = await startUpload(
      trainer,
      { purpose: "LESSON_VIDEO", courseId, lessonId, fileName: "gone.mp4", sizeBytes: 100_000 },
      "x",
    );
    if (!start.ok) throw new Error("not started");
    const mp4 = path.join(scratch(), "gone.mp4");
    await writeMp4(mp4, { durationSeconds: 200 });
    const head = (await readFile(mp4)).subarray(0, 1000);
    await receiveChunk(trainer, start.uploadId, { first: 0, last: 999, total: 100_000 }, new Blob([head]).stream());
    expect(await sweepStaleUploads(new Date(Date.now() + 25 * 3600_000))).toBeGreaterThanOrEqual(1);
    expect(await db.mediaUpload.findUnique({ where: { id: start.uploadId } })).toBeNull();
    await expect(readFile(uploadTempPath(start.uploadId))).rejects.toThrow();
  });
});

describe("a full or read-only media folder", () => {
  afterEach(restoreStorage);

  async function startVideo() {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const file = path.join(scratch(), "disk-full.mp4");
    await writeMp4(file, { durationSeconds: 200, mediaBytes: 600 * 1024 });
    const bytes = await readFile(file);
    const start = await startUpload(
      trainer,
      { purpose: "LESSON_VIDEO", courseId, lessonId, fileName: "disk-full.mp4", sizeBytes: bytes.length },
      "x",
    );
    if (!start.ok || start.storage !== "local") throw new Error("not started");
    return { trainer, lessonId, bytes, uploadId: start.uploadId };
  }

  it("a full disk ends the upload: the partial file and the upload row go at once", async () => {
    const { trainer, lessonId, bytes, uploadId } = await startVideo();
    const first = await receiveChunk(
      trainer,
      uploadId,
      { first: 0, last: 199_999, total: bytes.length },
      new Blob([bytes.subarray(0, 200_000)]).stream(),
    );
    expect(first).toEqual({ kind: "incomplete", receivedBytes: 200_000 });
    expect((await readFile(uploadTempPath(uploadId))).length).toBe(200_000);

    // The disk fills up halfway through the second chunk.
    fillDiskAfter(50_000);
    const second = await receiveChunk(
      trainer,
      uploadId,
      { first: 200_000, last: 399_999, total: bytes.length },
      new Blob([bytes.subarray(200_000, 400_000)]).stream(),
    );
    expect(second).toEqual({ kind: "storageFailed", failure: "full" });
    await expect(readFile(uploadTempPath(uploadId))).rejects.toMatchObject({ code: "ENOENT" });
    expect(await db.mediaUpload.findUnique({ where: { id: uploadId } })).toBeNull();
    expect((await db.lesson.findUniqueOrThrow({ where: { id: lessonId } })).videoAssetId).toBeNull();
  });

  it("a read-only media folder refuses every retry alike, and the upload resumes once it is writable", async () => {
    const { trainer, bytes, uploadId } = await startVideo();
    const chunk = () =>
      receiveChunk(
        trainer,
        uploadId,
        { first: 0, last: 199_999, total: bytes.length },
        new Blob([bytes.subarray(0, 200_000)]).stream(),
      );
    makeMediaReadOnly();
    expect(await chunk()).toEqual({ kind: "storageFailed", failure: "readOnly" });
    expect(await chunk()).toEqual({ kind: "storageFailed", failure: "readOnly" });
    await expect(readFile(uploadTempPath(uploadId))).rejects.toMatchObject({ code: "ENOENT" });
    expect(await db.mediaUpload.findUniqueOrThrow({ where: { id: uploadId } })).toMatchObject({
      status: "RECEIVING",
      receivedBytes: 0,
    });
    restoreStorage();
    expect(await chunk()).toEqual({ kind: "incomplete", receivedBytes: 200_000 });
  });
});
