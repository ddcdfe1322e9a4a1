// The Mux storage path against the local stand-in (tests/mux-standin.ts):
// Direct Upload through @mux/mux-node, chunks PUT to the upload URL, signed
// webhooks into the app's real webhook route, the 3–5 minute rule when the
// asset is ready, and webhooks that are unsigned or wrongly signed.
import { createServer, type Server } from "node:http";
import path from "node:path";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const SECRETS = vi.hoisted(() => {
  const secrets = { tokenId: "test-token-id", tokenSecret: "test-token-secret", webhookSecret: "test-webhook-secret" };
  // Before any module reads the environment (it is parsed once).
  process.env.MUX_TOKEN_ID = secrets.tokenId;
  process.env.MUX_TOKEN_SECRET = secrets.tokenSecret;
  process.env.MUX_WEBHOOK_SECRET = secrets.webhookSecret;
  process.env.MUX_API_BASE_URL = "http://127.0.0.1:9";
  return secrets;
});

import { MuxStandin, signWebhook } from "../mux-standin";
import { writeMp4 } from "../fixtures/media-files";
import { createDraftCourse, createUserWithRole } from "../fixtures/teach";
import { readEveryRow } from "../helpers/database";
import { playerSource } from "~/components/lesson-player";
import { getLessonPreview } from "~/teach/preview.server";
import { startUpload } from "~/teach/uploads.server";
import { checkCourse } from "~/teach/publish.server";
import { action as webhookAction } from "~/routes/api.mux.webhook";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

let standin: MuxStandin;
let appServer: Server;

beforeAll(async () => {
  standin = new MuxStandin(SECRETS);
  const base = await standin.start();
  // The SDK client is made on first use, after this.
  process.env.MUX_API_BASE_URL = base;
  (getEnv() as { MUX_API_BASE_URL?: string }).MUX_API_BASE_URL = base;

  // The webhook route, served over HTTP the way the app serves it.
  appServer = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(`http://localhost${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks),
    });
    const response = await webhookAction({ request, params: {}, context: {} });
    res.writeHead(response.status, { "Content-Type": "application/json" }).end(await response.text());
  });
  await new Promise<void>((resolve) => appServer.listen(0, "127.0.0.1", resolve));
  const address = appServer.address();
  if (!address || typeof address === "string") throw new Error("no address");
  standin.webhookUrl = `http://127.0.0.1:${address.port}/api/mux/webhook`;
});

afterAll(async () => {
  await standin.stop();
  await new Promise<void>((resolve) => appServer.close(() => resolve()));
});

/** What the browser does with UpChunk: PUT the file in chunks to the Mux upload URL. */
async function sendToMux(url: string, bytes: Buffer, chunk = 256 * 1024) {
  for (let first = 0; first < bytes.length; first += chunk) {
    const last = Math.min(bytes.length, first + chunk) - 1;
    const response = await fetch(url, {
      method: "PUT",
      headers: { "Content-Range": `bytes ${first}-${last}/${bytes.length}` },
      body: new Uint8Array(bytes.subarray(first, last + 1)),
    });
    expect([200, 308]).toContain(response.status);
  }
  await standin.idle();
}

async function uploadVideo(seconds: number | null) {
  const trainer = await createUserWithRole("TRAINER");
  const { courseId, lessonId } = await createDraftCourse(trainer);
  const file = path.join(path.dirname(getEnv().mediaDir), `mux-${seconds}.mp4`);
  if (seconds === null) await (await import("node:fs/promises")).writeFile(file, "this is not a video\n".repeat(1000));
  else await writeMp4(file, { durationSeconds: seconds, withAudio: true });
  const bytes = await readFile(file);
  const started = await startUpload(
    trainer,
    { purpose: "LESSON_VIDEO", courseId, lessonId, fileName: path.basename(file), sizeBytes: bytes.length },
    "http://localhost:3000",
  );
  if (!started.ok || started.storage !== "mux") throw new Error(`not a Mux upload: ${JSON.stringify(started)}`);
  expect(started.url.startsWith(standin.baseUrl)).toBe(true);
  return { trainer, courseId, lessonId, bytes, started };
}

describe("Mux storage", () => {
  it("is chosen when the Mux variables are set", () => {
    expect(getEnv().videoStorage).toBe("mux");
  });

  it("a 4-minute video goes to Mux; when the signed 'ready' webhook comes, the lesson plays it by playback id", async () => {
    const { lessonId, courseId, bytes, started } = await uploadVideo(240);
    const row = await db.mediaUpload.findUniqueOrThrow({ where: { id: started.uploadId } });
    expect(row).toMatchObject({ storage: "MUX", status: "RECEIVING" });
    expect(standin.uploads.get(row.muxUploadId!)).toMatchObject({
      passthrough: row.id,
      corsOrigin: "http://localhost:3000",
    });

    await sendToMux(started.url, bytes);
    expect(standin.deliveries.slice(-2)).toEqual([
      { type: "video.upload.asset_created", status: 200 },
      { type: "video.asset.ready", status: 200 },
    ]);
    const lesson = await db.lesson.findUniqueOrThrow({ where: { id: lessonId }, include: { videoAsset: true } });
    expect(lesson.durationSeconds).toBe(240);
    expect(lesson.videoAsset).toMatchObject({ storage: "MUX", status: "READY", durationSeconds: 240 });
    const asset = standin.assets.get(lesson.videoAsset!.muxAssetId!)!;
    expect(lesson.videoAsset!.muxPlaybackId).toBe(asset.playbackId);
    expect(await db.mediaUpload.count({ where: { id: started.uploadId } })).toBe(0);

    // Learners' player gets the playback id (Mux Player streams it from Mux).
    const preview = await getLessonPreview(courseId, lessonId);
    expect(playerSource(preview!.lesson.video)).toEqual({ kind: "mux", playbackId: asset.playbackId });
  });

  it("a 5:12 video is refused when Mux reports its length: not attached, deleted at Mux, and publishing says why", async () => {
    const { lessonId, courseId, bytes, started } = await uploadVideo(312);
    await sendToMux(started.url, bytes);
    const row = await db.mediaUpload.findUniqueOrThrow({ where: { id: started.uploadId } });
    expect(row.status).toBe("REFUSED");
    expect(JSON.parse(row.refusal!)).toEqual({ code: "tooLong", values: { measured: "5:12" } });
    expect(standin.deletedAssets).toContain(row.muxAssetId);
    expect(await db.lesson.findUniqueOrThrow({ where: { id: lessonId } })).toMatchObject({
      videoAssetId: null,
      durationSeconds: null,
    });
    expect(await db.mediaAsset.count({ where: { muxAssetId: row.muxAssetId } })).toBe(0);
    const issues = await checkCourse(courseId);
    expect(issues).toContainEqual({
      code: "videoRefused",
      lessonId,
      lesson: expect.any(String),
      refusal: { code: "tooLong", values: { measured: "5:12" } },
    });
  });

  it("a file Mux cannot read ends as an errored asset with Mux's message", async () => {
    const { started, bytes } = await uploadVideo(null);
    await sendToMux(started.url, bytes);
    const row = await db.mediaUpload.findUniqueOrThrow({ where: { id: started.uploadId } });
    expect(row.status).toBe("REFUSED");
    expect(JSON.parse(row.refusal!)).toMatchObject({
      code: "muxErrored",
      values: { message: expect.stringContaining("could not be read") },
    });
  });

  it("unsigned, wrongly signed, stale and replayed webhooks change nothing", async () => {
    const { lessonId, started, bytes } = await uploadVideo(200);
    const row = await db.mediaUpload.findUniqueOrThrow({ where: { id: started.uploadId } });
    const forged = JSON.stringify({
      type: "video.asset.ready",
      data: {
        id: "asforged",
        upload_id: row.muxUploadId,
        passthrough: row.id,
        duration: 200,
        playback_ids: [{ id: "pbforged", policy: "public" }],
      },
    });
    expect(await standin.deliver(forged, {})).toBe(401);
    expect(await standin.deliver(forged, { "mux-signature": signWebhook(forged, "not-the-secret") })).toBe(401);
    expect(await standin.deliver(forged, { "mux-signature": signWebhook(`${forged} `, SECRETS.webhookSecret) })).toBe(
      401,
    );
    const stale = Math.floor(Date.now() / 1000) - 3600;
    expect(await standin.deliver(forged, { "mux-signature": signWebhook(forged, SECRETS.webhookSecret, stale) })).toBe(
      401,
    );
    expect(await db.lesson.findUniqueOrThrow({ where: { id: lessonId } })).toMatchObject({ videoAssetId: null });
    expect(await db.mediaUpload.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "RECEIVING" });

    // The real one, then the same event delivered again (Mux retries): one asset.
    await sendToMux(started.url, bytes);
    const ready = await db.lesson.findUniqueOrThrow({ where: { id: lessonId }, include: { videoAsset: true } });
    expect(ready.videoAsset?.status).toBe("READY");
    const asset = standin.assets.get(ready.videoAsset!.muxAssetId!)!;
    await standin.send("video.asset.ready", standin.assetJson(asset));
    expect(standin.deliveries.at(-1)).toEqual({ type: "video.asset.ready", status: 200 });
    expect(await db.mediaAsset.count({ where: { muxAssetId: asset.id } })).toBe(1);
  });

  it("events of other kinds are acknowledged and change no row at all, even when they name an upload in flight", async () => {
    const { started } = await uploadVideo(200);
    const row = await db.mediaUpload.findUniqueOrThrow({ where: { id: started.uploadId } });
    // Shaped like the events that do act, so a handler that read the data
    // before the type would attach, refuse or move this upload.
    const about = {
      id: row.muxUploadId,
      asset_id: "asother",
      upload_id: row.muxUploadId,
      passthrough: row.id,
      duration: 200,
      playback_ids: [{ id: "pbother", policy: "public" }],
    };
    const before = await readEveryRow();
    for (const type of ["video.asset.static_renditions.ready", "video.upload.cancelled", "video.asset.deleted"]) {
      const body = JSON.stringify({ type, data: about });
      const request = new Request("http://localhost/api/mux/webhook", {
        method: "POST",
        headers: { "mux-signature": signWebhook(body, SECRETS.webhookSecret) },
        body,
      });
      const response = await webhookAction({ request, params: {}, context: {} });
      expect([type, response.status, await response.json()]).toEqual([type, 200, { ok: true, result: "ignored" }]);
    }
    expect(await readEveryRow()).toEqual(before);
  });
});
