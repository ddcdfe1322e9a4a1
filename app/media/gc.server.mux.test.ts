// The collector with Mux storage, against the local stand-in of the Mux API.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const SECRETS = vi.hoisted(() => {
  const secrets = { tokenId: "gc-token-id", tokenSecret: "gc-token-secret", webhookSecret: "gc-webhook-secret" };
  // Before any module reads the environment (it is parsed once).
  process.env.MUX_TOKEN_ID = secrets.tokenId;
  process.env.MUX_TOKEN_SECRET = secrets.tokenSecret;
  process.env.MUX_WEBHOOK_SECRET = secrets.webhookSecret;
  process.env.MUX_API_BASE_URL = "http://127.0.0.1:9";
  return secrets;
});

import { MuxStandin } from "../../tests/mux-standin";
import { createDraftCourse, createUserWithRole } from "../../tests/fixtures/teach";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { runMediaGc } from "./gc.server";

let standin: MuxStandin;

beforeAll(async () => {
  standin = new MuxStandin(SECRETS);
  const base = await standin.start();
  (getEnv() as { MUX_API_BASE_URL?: string }).MUX_API_BASE_URL = base;
});

afterAll(async () => {
  await standin.stop();
});

const DAY = 24 * 3600_000;

async function muxAsset(unusedDaysAgo: number | null, atMux = true) {
  const id = `mux${Math.random().toString(36).slice(2, 12)}`;
  if (atMux)
    standin.assets.set(id, {
      id,
      status: "ready",
      uploadId: "u",
      passthrough: undefined,
      duration: 200,
      playbackId: `p${id}`,
    });
  return db.mediaAsset.create({
    data: {
      kind: "VIDEO",
      storage: "MUX",
      mimeType: "application/x-mpegURL",
      muxAssetId: id,
      muxPlaybackId: `p${id}`,
      sizeBytes: 1000,
      unusedSince: unusedDaysAgo === null ? null : new Date(Date.now() - unusedDaysAgo * DAY),
    },
  });
}

describe("Mux assets", () => {
  it("deletes an asset unused past the grace period at Mux, then its row; a used or recent one stays", async () => {
    const old = await muxAsset(30);
    const recent = await muxAsset(2);
    const used = await muxAsset(null);
    const trainer = await createUserWithRole("TRAINER");
    const { lessonId } = await createDraftCourse(trainer);
    await db.lesson.update({ where: { id: lessonId }, data: { videoAssetId: used.id } });

    const report = await runMediaGc({ graceDays: 7 });
    expect(report).toMatchObject({ muxAssets: 1, errors: 0 });
    expect(standin.deletedAssets).toContain(old.muxAssetId);
    expect(await db.mediaAsset.findUnique({ where: { id: old.id } })).toBeNull();
    expect(standin.assets.has(recent.muxAssetId!)).toBe(true);
    expect(standin.assets.has(used.muxAssetId!)).toBe(true);
    expect(await db.mediaAsset.findUnique({ where: { id: recent.id } })).not.toBeNull();
  });

  it("a row whose Mux asset is already gone (a crash after the Mux call) is removed on the next run", async () => {
    const orphan = await muxAsset(30, false);
    const report = await runMediaGc({ graceDays: 7 });
    expect(report.errors).toBe(0);
    expect(await db.mediaAsset.findUnique({ where: { id: orphan.id } })).toBeNull();
  });

  it("a dry run calls nothing at Mux", async () => {
    const old = await muxAsset(30);
    const report = await runMediaGc({ graceDays: 7, dryRun: true });
    expect(report.muxAssets).toBeGreaterThanOrEqual(1);
    expect(standin.assets.has(old.muxAssetId!)).toBe(true);
    expect(await db.mediaAsset.findUnique({ where: { id: old.id } })).not.toBeNull();
  });

  it("an upload Mux never finished processing for a day goes, with its asset at Mux", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const { courseId, lessonId } = await createDraftCourse(trainer);
    const id = `muxstuck${Math.random().toString(36).slice(2, 10)}`;
    standin.assets.set(id, { id, status: "preparing", uploadId: "u2", passthrough: undefined, playbackId: `p${id}` });
    const upload = await db.mediaUpload.create({
      data: {
        purpose: "LESSON_VIDEO",
        storage: "MUX",
        status: "PROCESSING",
        courseId,
        lessonId,
        fileName: "a.mp4",
        sizeBytes: 10,
        muxAssetId: id,
        createdById: trainer.id,
      },
    });
    await db.mediaUpload.update({
      where: { id: upload.id },
      data: { updatedAt: new Date(Date.now() - 25 * 3600_000) },
    });
    const report = await runMediaGc();
    expect(report.uploads.count).toBe(1);
    expect(standin.deletedAssets).toContain(id);
    expect(await db.mediaUpload.findUnique({ where: { id: upload.id } })).toBeNull();
  });
});
