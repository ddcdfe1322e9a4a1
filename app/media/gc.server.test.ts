import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeMp4 } from "../../tests/fixtures/media-files";
import { createDraftCourse, createUserWithRole, uploadFile } from "../../tests/fixtures/teach";
import { jobHandler } from "~/jobs/queue.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { claimLocalAsset, collectMedia, gcFs, mediaGcJobId, runMediaGc, scheduleMediaGc } from "./gc.server";
import { mediaPath } from "./storage.server";
import { receiveChunk, startUpload } from "~/teach/uploads.server";
import { uploadTempPath } from "./upload.server";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const mediaDir = () => getEnv().mediaDir;
const scratch = () => path.join(path.dirname(mediaDir()), "files");
const later = (ms: number) => new Date(Date.now() + ms);
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

async function age(file: string, ms: number) {
  const when = new Date(Date.now() - ms);
  await utimes(file, when, when);
}

async function writeAged(relative: string, ms: number, bytes = 100): Promise<string> {
  const file = path.join(mediaDir(), relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, randomBytes(bytes));
  if (ms > 0) await age(file, ms);
  return file;
}

/** Every file under MEDIA_DIR with its size, and every asset and upload row. */
async function state() {
  const entries = await readdir(mediaDir(), { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(mediaDir(), path.join(e.parentPath, e.name)));
  return {
    files: files.sort(),
    assets: await db.mediaAsset.findMany({ orderBy: { id: "asc" } }),
    uploads: await db.mediaUpload.findMany({ orderBy: { id: "asc" } }),
    jobs: await db.job.count(),
    audit: await db.auditEvent.count(),
  };
}

let variant = 0;
/** A distinct 3–5 minute MP4 (distinct bytes, so a distinct content address). */
async function video(): Promise<string> {
  const file = path.join(scratch(), `v${++variant}.mp4`);
  await writeMp4(file, { durationSeconds: 200 + variant, mediaBytes: 64 * 1024 });
  return file;
}

async function lessonWithVideo() {
  const trainer = await createUserWithRole("TRAINER");
  const { courseId, lessonId } = await createDraftCourse(trainer);
  const first = await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, await video());
  if (first.outcome.kind !== "done") throw new Error(`upload failed: ${JSON.stringify(first.outcome)}`);
  const asset = await db.mediaAsset.findUniqueOrThrow({ where: { id: first.outcome.assetId } });
  return { trainer, courseId, lessonId, asset };
}

beforeAll(async () => {
  await mkdir(scratch(), { recursive: true });
});

describe("unused assets", () => {
  it("removes a replaced lesson video after the grace period, and not before", async () => {
    const { trainer, courseId, lessonId, asset: old } = await lessonWithVideo();
    const replaced = await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, await video());
    expect(replaced.outcome.kind).toBe("done");
    const oldFile = mediaPath(old.storageKey!);
    const newAsset = await db.mediaAsset.findUniqueOrThrow({
      where: { id: (replaced.outcome as { assetId: string }).assetId },
    });

    // The replacement marked the old asset at once.
    const marked = await db.mediaAsset.findUniqueOrThrow({ where: { id: old.id } });
    expect(marked.unusedSince).not.toBeNull();
    expect((await db.mediaAsset.findUniqueOrThrow({ where: { id: newAsset.id } })).unusedSince).toBeNull();

    await runMediaGc({ now: later(6 * DAY), graceDays: 7 });
    expect(await db.mediaAsset.findUnique({ where: { id: old.id } })).not.toBeNull();
    expect(await exists(oldFile)).toBe(true);

    const report = await runMediaGc({ now: later(8 * DAY), graceDays: 7 });
    expect(await db.mediaAsset.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await exists(oldFile)).toBe(false);
    expect(report.assets.count).toBeGreaterThanOrEqual(1);
    expect(report.assets.bytes).toBeGreaterThanOrEqual(old.sizeBytes);
    // The lesson's current video is untouched.
    expect((await db.lesson.findUniqueOrThrow({ where: { id: lessonId } })).videoAssetId).toBe(newAsset.id);
    expect(await exists(mediaPath(newAsset.storageKey!))).toBe(true);
  });

  it("finds unused assets itself, and clears the mark when an asset is used again", async () => {
    const { lessonId, asset } = await lessonWithVideo();
    // Written around the hooks: only the collector's own check can notice.
    await db.lesson.update({ where: { id: lessonId }, data: { videoAssetId: null } });
    expect((await db.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } })).unusedSince).toBeNull();
    await runMediaGc();
    expect((await db.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } })).unusedSince).not.toBeNull();

    const trainer = await createUserWithRole("TRAINER");
    const other = await createDraftCourse(trainer);
    await db.course.update({ where: { id: other.courseId }, data: { coverAssetId: asset.id } });
    await runMediaGc({ now: later(30 * DAY) });
    const kept = await db.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } });
    expect(kept.unusedSince).toBeNull();
    expect(await exists(mediaPath(asset.storageKey!))).toBe(true);
  });

  it("an upload of the same bytes takes a marked asset back", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const file = await video();
    const first = await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, file);
    const assetId = (first.outcome as { assetId: string }).assetId;
    await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, await video());
    expect((await db.mediaAsset.findUniqueOrThrow({ where: { id: assetId } })).unusedSince).not.toBeNull();
    const again = await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, file);
    expect(again.outcome).toMatchObject({ kind: "done", assetId });
    expect((await db.mediaAsset.findUniqueOrThrow({ where: { id: assetId } })).unusedSince).toBeNull();
  });

  it("keeps a file another asset still names (same content hash)", async () => {
    const { asset } = await lessonWithVideo();
    // A second row for the same bytes (as a race of two writers can leave), used by nothing.
    const { id: _id, ...copy } = asset;
    const twin = await db.mediaAsset.create({
      data: { ...copy, muxUploadId: null, muxAssetId: null, unusedSince: new Date(Date.now() - 30 * DAY) },
    });
    await runMediaGc({ now: later(HOUR) });
    expect(await db.mediaAsset.findUnique({ where: { id: twin.id } })).toBeNull();
    expect(await db.mediaAsset.findUnique({ where: { id: asset.id } })).not.toBeNull();
    expect(await exists(mediaPath(asset.storageKey!))).toBe(true);
  });

  it("deleting a lesson leaves its video unused", async () => {
    const { courseId, lessonId, asset } = await lessonWithVideo();
    const { deleteLesson } = await import("~/teach/courses.server");
    expect(await deleteLesson(courseId, lessonId)).toEqual({ ok: true });
    expect((await db.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } })).unusedSince).not.toBeNull();
    await runMediaGc({ now: later(8 * DAY) });
    expect(await db.mediaAsset.findUnique({ where: { id: asset.id } })).toBeNull();
    expect(await exists(mediaPath(asset.storageKey!))).toBe(false);
  });
});

describe("where assets lose their last reference", () => {
  it("slides changed from a PDF to Markdown leave the PDF unused", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const pdf = await uploadFile(
      trainer,
      { courseId, lessonId, purpose: "LESSON_SLIDES" },
      path.resolve("tests/fixtures/slides-3.pdf"),
    );
    expect(pdf.outcome.kind).toBe("done");
    const assetId = (pdf.outcome as { assetId: string }).assetId;
    const { setMarkdownSlides } = await import("~/teach/courses.server");
    expect(await setMarkdownSlides(courseId, lessonId, "# Một\n\n---\n\n# Hai\n")).toMatchObject({ ok: true });
    expect((await db.mediaAsset.findUniqueOrThrow({ where: { id: assetId } })).unusedSince).not.toBeNull();
  });

  it("courses:sync with a new video leaves the old one unused, and it goes after the grace period", async () => {
    const { syncCourses } = await import("~/teach/sync.server");
    const { seedReferenceData } = await import("~/setup/seed.server");
    await seedReferenceData();
    const root = path.join(scratch(), `courses-${++variant}`);
    const write = async (video: string) => {
      const dir = path.join(root, "cedaw", "cedaw-gc");
      const lesson = path.join(dir, "lessons", "01-mot");
      await mkdir(lesson, { recursive: true });
      await writeFile(
        path.join(dir, "course.yaml"),
        'code: cedaw-gc\nconvention: CEDAW\nlanguage: vi\ntitle: "Thử"\nsummary: "Tóm tắt."\nlessons:\n  - 01-mot\n',
      );
      await writeFile(path.join(lesson, "video.mp4"), await readFile(path.resolve("tests/fixtures", video)));
      await writeFile(path.join(lesson, "lesson.yaml"), 'title: "Bài một"\nlanguage: vi\nvideo: video.mp4\n');
    };
    await write("lesson-200s.mp4");
    await syncCourses(root);
    const lessonOf = () =>
      db.lesson.findFirstOrThrow({ where: { course: { code: "cedaw-gc" } }, include: { videoAsset: true } });
    const first = (await lessonOf()).videoAsset!;
    await write("lesson-3m30.mp4");
    await syncCourses(root);
    expect((await lessonOf()).videoAssetId).not.toBe(first.id);
    expect((await db.mediaAsset.findUniqueOrThrow({ where: { id: first.id } })).unusedSince).not.toBeNull();
    await runMediaGc({ now: later(8 * DAY) });
    expect(await db.mediaAsset.findUnique({ where: { id: first.id } })).toBeNull();
    expect(await exists(mediaPath(first.storageKey!))).toBe(false);
    expect(await exists(mediaPath((await lessonOf()).videoAsset!.storageKey!))).toBe(true);
  });
});

describe("abandoned uploads", () => {
  async function partialUpload() {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const bytes = (await readFile(await video())).subarray(0, 4096);
    const start = await startUpload(
      trainer,
      { purpose: "LESSON_VIDEO", courseId, lessonId, fileName: "half.mp4", sizeBytes: 1_000_000 },
      "http://localhost",
    );
    if (!start.ok || start.storage !== "local") throw new Error("not started");
    const outcome = await receiveChunk(
      trainer,
      start.uploadId,
      { first: 0, last: bytes.length - 1, total: 1_000_000 },
      new Blob([bytes]).stream(),
    );
    expect(outcome.kind).toBe("incomplete");
    return start.uploadId;
  }

  it("removes an upload untouched for a day and its partial file; a live one stays", async () => {
    const abandoned = await partialUpload();
    const live = await partialUpload();
    await db.mediaUpload.update({ where: { id: abandoned }, data: { updatedAt: new Date(Date.now() - 25 * HOUR) } });
    // Old bytes, but its row is live: a trainer may resume it.
    await age(uploadTempPath(live), 3 * HOUR);

    const report = await runMediaGc();
    expect(await db.mediaUpload.findUnique({ where: { id: abandoned } })).toBeNull();
    expect(await exists(uploadTempPath(abandoned))).toBe(false);
    expect(report.uploads).toMatchObject({ count: 1, bytes: 4096 });
    expect(await db.mediaUpload.findUnique({ where: { id: live } })).not.toBeNull();
    expect(await exists(uploadTempPath(live))).toBe(true);
  });
});

describe("files no row knows", () => {
  it("removes an unknown file older than an hour and keeps a fresh one", async () => {
    const hash = () => randomBytes(32).toString("hex");
    const oldHash = hash();
    const freshHash = hash();
    const old = await writeAged(`${oldHash.slice(0, 2)}/${oldHash}.mp4`, 2 * HOUR, 500);
    const fresh = await writeAged(`${freshHash.slice(0, 2)}/${freshHash}.mp4`, 0);
    const oldTemp = await writeAged("tmp/0b6f7c1e-1f0e-4a53-9a7d-3c3b7c6d1a11", 2 * HOUR);
    const orphanPart = await writeAged(`tmp/upload-${"x".repeat(25)}`, 2 * HOUR);
    const foreign = await writeAged("operator-notes.txt", 48 * HOUR);

    const report = await runMediaGc();
    expect(await exists(old)).toBe(false);
    expect(await exists(oldTemp)).toBe(false);
    expect(await exists(orphanPart)).toBe(false);
    expect(await exists(fresh)).toBe(true);
    expect(await exists(foreign)).toBe(true);
    expect(report.foreign).toContain("operator-notes.txt");
    expect(report.unknownFiles.count).toBeGreaterThanOrEqual(3);
    expect(report.unknownFiles.bytes).toBeGreaterThanOrEqual(700);
  });

  it("keeps an import's file while its job is queued or running; spools and finished jobs' files go", async () => {
    const job = (id: string, status: "QUEUED" | "RUNNING" | "DONE" | "FAILED") =>
      db.job.create({ data: { id, kind: "import", status } });
    await job("cimportrunning000001", "RUNNING");
    await job("cimportqueued0000001", "QUEUED");
    await job("cimportdone000000001", "DONE");
    const running = await writeAged("imports/cimportrunning000001", 5 * HOUR);
    const queued = await writeAged("imports/cimportqueued0000001.xlsx", 5 * HOUR);
    const done = await writeAged("imports/cimportdone000000001", 5 * HOUR);
    const noJob = await writeAged("imports/cimportnojob000000001", 5 * HOUR);
    const oldSpool = await writeAged("imports/upload-3f9a1b.part", 2 * HOUR);
    const freshSpool = await writeAged("imports/upload-77aa01.part", 0);

    await runMediaGc();
    expect(await exists(running)).toBe(true);
    expect(await exists(queued)).toBe(true);
    expect(await exists(freshSpool)).toBe(true);
    expect(await exists(done)).toBe(false);
    expect(await exists(noJob)).toBe(false);
    expect(await exists(oldSpool)).toBe(false);
  });
});

describe("dry run and crashes", () => {
  it("a dry run reports what would go and changes nothing", async () => {
    const { trainer, courseId, lessonId, asset } = await lessonWithVideo();
    await uploadFile(trainer, { courseId, lessonId, purpose: "LESSON_VIDEO" }, await video());
    const unknown = randomBytes(32).toString("hex");
    await writeAged(`${unknown.slice(0, 2)}/${unknown}.pdf`, 2 * HOUR);
    // Unmarked, so the dry run must not mark it either.
    await db.lesson.update({ where: { id: lessonId }, data: { videoAssetId: null } });

    const before = await state();
    const report = await runMediaGc({ now: later(8 * DAY), dryRun: true });
    expect(await state()).toEqual(before);
    expect(report.dryRun).toBe(true);
    expect(report.marked).toBeGreaterThanOrEqual(1);
    expect(report.assets.count).toBeGreaterThanOrEqual(1);
    expect(report.unknownFiles.count).toBeGreaterThanOrEqual(1);
    expect(await exists(mediaPath(asset.storageKey!))).toBe(true);
  });

  it("converges after a crash between row and file, either way round", async () => {
    // Row gone, file left (the collector's own order when it dies halfway).
    const a = await lessonWithVideo();
    await db.lesson.update({ where: { id: a.lessonId }, data: { videoAssetId: null } });
    await db.mediaAsset.delete({ where: { id: a.asset.id } });
    // File gone, row left (a file removed by hand, or by an older version).
    const b = await lessonWithVideo();
    await db.lesson.update({ where: { id: b.lessonId }, data: { videoAssetId: null } });
    await db.mediaAsset.update({ where: { id: b.asset.id }, data: { unusedSince: new Date(Date.now() - 30 * DAY) } });
    const { rm } = await import("node:fs/promises");
    await rm(mediaPath(b.asset.storageKey!));

    const first = await runMediaGc({ now: later(2 * HOUR) });
    expect(first.errors).toBe(0);
    expect(await exists(mediaPath(a.asset.storageKey!))).toBe(false);
    expect(await db.mediaAsset.findUnique({ where: { id: b.asset.id } })).toBeNull();

    const second = await runMediaGc({ now: later(2 * HOUR) });
    expect(second).toMatchObject({
      errors: 0,
      assets: { count: 0 },
      uploads: { count: 0 },
      unknownFiles: { count: 0 },
    });
  });

  it("a file an upload re-commits while the collector removes it stays", async () => {
    const { lessonId, asset } = await lessonWithVideo();
    await db.lesson.update({ where: { id: lessonId }, data: { videoAssetId: null } });
    await db.mediaAsset.update({ where: { id: asset.id }, data: { unusedSince: new Date(Date.now() - 30 * DAY) } });
    const file = mediaPath(asset.storageKey!);
    await age(file, 3 * HOUR);
    const bytes = await readFile(file);
    const original = gcFs.rename;
    // The same bytes committed again (fresh mtime) just before the collector moves the file.
    gcFs.rename = async (from, to) => {
      if (from === file) await writeFile(file, bytes);
      return original(from, to);
    };
    try {
      await runMediaGc();
    } finally {
      gcFs.rename = original;
    }
    expect(await db.mediaAsset.findUnique({ where: { id: asset.id } })).toBeNull();
    expect((await readFile(file)).equals(bytes)).toBe(true);
    expect((await readdir(path.join(mediaDir(), "tmp"))).filter((n) => n.startsWith("gc-"))).toEqual([]);
  });

  it("an asset taken back while the collector deletes it is kept (the taker's write orders them)", async () => {
    const { lessonId, asset } = await lessonWithVideo();
    await db.lesson.update({ where: { id: lessonId }, data: { videoAssetId: null } });
    await db.mediaAsset.update({ where: { id: asset.id }, data: { unusedSince: new Date(Date.now() - 30 * DAY) } });
    await age(mediaPath(asset.storageKey!), 3 * HOUR);
    let collector: Promise<unknown> | undefined;
    // What an upload of the same bytes does in its transaction; the collector starts before it commits.
    await db.$transaction(
      async (tx) => {
        const found = await claimLocalAsset(tx, { sha256: asset.sha256!, kind: "VIDEO" });
        expect(found?.id).toBe(asset.id);
        await tx.lesson.update({ where: { id: lessonId }, data: { videoAssetId: asset.id } });
        collector = runMediaGc();
        await new Promise((resolve) => setTimeout(resolve, 500));
      },
      { timeout: 15_000 },
    );
    await collector;
    const lesson = await db.lesson.findUniqueOrThrow({ where: { id: lessonId }, include: { videoAsset: true } });
    expect(lesson.videoAssetId).toBe(asset.id);
    expect(lesson.videoAsset!.unusedSince).toBeNull();
    expect(await exists(mediaPath(asset.storageKey!))).toBe(true);
  });

  it("two collectors at once remove each thing once", async () => {
    const { lessonId, asset } = await lessonWithVideo();
    await db.lesson.update({ where: { id: lessonId }, data: { videoAssetId: null } });
    await db.mediaAsset.update({ where: { id: asset.id }, data: { unusedSince: new Date(Date.now() - 30 * DAY) } });
    const [one, two] = await Promise.all([runMediaGc({ now: later(2 * HOUR) }), runMediaGc({ now: later(2 * HOUR) })]);
    expect(one.errors + two.errors).toBe(0);
    expect(await db.mediaAsset.findUnique({ where: { id: asset.id } })).toBeNull();
    expect(await exists(mediaPath(asset.storageKey!))).toBe(false);
  });
});

describe("the hourly job", () => {
  it("is enqueued once per hour, however many processes ask", async () => {
    const at = new Date("2026-12-01T03:17:00Z");
    expect(mediaGcJobId(at)).toBe("media-gc-2026120103");
    expect(await scheduleMediaGc(at)).toBe(true);
    expect(await scheduleMediaGc(new Date("2026-12-01T03:59:59Z"))).toBe(false);
    expect(await db.job.count({ where: { kind: "media-gc" } })).toBe(1);
    expect(await scheduleMediaGc(new Date("2026-12-01T04:00:00Z"))).toBe(true);
    expect(await db.job.count({ where: { kind: "media-gc" } })).toBe(2);
  });

  it("is enqueued once when two processes ask at the same moment", async () => {
    const at = new Date("2026-12-01T05:00:00Z");
    const answers = await Promise.all([scheduleMediaGc(at), scheduleMediaGc(at), scheduleMediaGc(at)]);
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(await db.job.count({ where: { id: mediaGcJobId(at) } })).toBe(1);
  });

  it("runs the collector and audits the run with its counts", async () => {
    const unknown = randomBytes(32).toString("hex");
    await writeAged(`${unknown.slice(0, 2)}/${unknown}.png`, 2 * HOUR, 300);
    const handler = jobHandler("media-gc")!;
    const result = (await handler.run({}, {} as never)) as { unknownFiles: number };
    expect(result.unknownFiles).toBeGreaterThanOrEqual(1);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "media.gc" }, orderBy: { at: "desc" } });
    expect(event.actorId).toBeNull();
    expect(JSON.parse(event.details)).toMatchObject({ unknownFiles: result.unknownFiles, graceDays: 7 });

    await collectMedia({ id: null, email: "cli" }, { graceDays: 3 });
    const cli = await db.auditEvent.findFirstOrThrow({ where: { action: "media.gc", actorEmail: "cli" } });
    expect(JSON.parse(cli.details)).toMatchObject({ graceDays: 3, unknownFiles: 0 });
  });
});

describe("npm run media:gc", () => {
  async function cli(...argv: string[]) {
    const { runMediaGcCli } = await import("./gc-cli.server");
    const out: string[] = [];
    const err: string[] = [];
    const code = await runMediaGcCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("refuses bad arguments and changes nothing", async () => {
    const unknown = randomBytes(32).toString("hex");
    const file = await writeAged(`${unknown.slice(0, 2)}/${unknown}.webm`, 2 * HOUR);
    const before = await state();
    expect(await cli("--grace-days", "-1")).toMatchObject({ code: 2 });
    expect(await cli("--grace-days", "soon")).toMatchObject({ code: 2, err: expect.stringContaining("--grace-days") });
    expect(await cli("--force")).toMatchObject({ code: 2, err: expect.stringContaining("usage") });
    expect(await state()).toEqual(before);
    expect(await exists(file)).toBe(true);
    await (await import("node:fs/promises")).rm(file);
  });

  it("prints what a dry run would remove, then removes it and audits the run as cli", async () => {
    const unknown = randomBytes(32).toString("hex");
    const file = await writeAged(`${unknown.slice(0, 2)}/${unknown}.webm`, 2 * HOUR, 2048);
    const dry = await cli("--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(`would remove unknown file ${unknown.slice(0, 2)}/${unknown}.webm`);
    expect(dry.out).toMatch(/Would remove 1 file\(s\) no row knows: 2 KB/);
    expect(await exists(file)).toBe(true);
    const audits = await db.auditEvent.count({ where: { action: "media.gc" } });

    const real = await cli("--grace-days", "0");
    expect(real.code).toBe(0);
    expect(real.out).toMatch(/Removed 1 file\(s\) no row knows: 2 KB/);
    expect(await exists(file)).toBe(false);
    expect(await db.auditEvent.count({ where: { action: "media.gc" } })).toBe(audits + 1);
  });
});
