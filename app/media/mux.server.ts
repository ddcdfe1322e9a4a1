import type Mux from "@mux/mux-node";
import { z } from "zod";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { refreshUnusedMarks } from "./gc.server";
import { checkLessonDuration } from "./lesson-duration";
import type { AttachFile } from "./placement";
import { serializeRefusal, type UploadRefusal } from "./refusals";
import { logger } from "~/utils/logger.server";

// Mux storage: the browser sends the file straight to a Mux Direct Upload
// URL; Mux tells us about the asset through signed webhooks. The 3–5 minute
// rule is applied to the duration Mux measured, when the asset is ready.

let client: Promise<Mux> | undefined;

/** The SDK is loaded only where Mux is configured. */
export function muxClient(): Promise<Mux> {
  const env = getEnv();
  if (env.videoStorage !== "mux")
    throw new Error("Mux is not configured (MUX_TOKEN_ID, MUX_TOKEN_SECRET, MUX_WEBHOOK_SECRET)");
  client ??= import("@mux/mux-node").then(
    ({ default: MuxClient }) =>
      new MuxClient({
        tokenId: env.MUX_TOKEN_ID,
        tokenSecret: env.MUX_TOKEN_SECRET,
        webhookSecret: env.MUX_WEBHOOK_SECRET,
        ...(env.MUX_API_BASE_URL ? { baseURL: env.MUX_API_BASE_URL } : {}),
      }),
  );
  return client;
}

/** Creates a Direct Upload whose asset carries our upload row's id as passthrough. */
export async function createDirectUpload(uploadRowId: string, corsOrigin: string) {
  const upload = await (
    await muxClient()
  ).video.uploads.create({
    cors_origin: corsOrigin,
    new_asset_settings: { playback_policies: ["public"], passthrough: uploadRowId, video_quality: "basic" },
  });
  if (!upload.url) throw new Error(`Mux returned direct upload ${upload.id} without a URL`);
  return { id: upload.id, url: upload.url };
}

// The parts of Mux's webhook payloads this app acts on (the SDK's types are
// compile-time only; a verified body is still parsed).
const AssetData = z.object({
  id: z.string().min(1),
  upload_id: z.string().optional(),
  passthrough: z.string().optional(),
  duration: z.number().nonnegative().optional(),
  playback_ids: z.array(z.object({ id: z.string().min(1), policy: z.string() })).optional(),
  errors: z.object({ type: z.string().optional(), messages: z.array(z.string()).optional() }).optional(),
});

const WebhookEvent = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("video.upload.asset_created"),
    data: z.object({ id: z.string().min(1), asset_id: z.string().min(1) }),
  }),
  z.object({ type: z.literal("video.asset.ready"), data: AssetData }),
  z.object({ type: z.literal("video.asset.errored"), data: AssetData }),
]);

export type WebhookOutcome =
  | { status: 401; result: "bad_signature" }
  | { status: 400; result: "malformed" }
  | { status: 200; result: "ignored" | "processing" | "ready" | "refused" | "errored" | "unknown_upload" };

/**
 * Verifies the `mux-signature` header (HMAC-SHA256 of "<t>.<body>" with the
 * webhook secret, at most 5 minutes old) with Mux's own SDK, then applies the
 * event. An unsigned or wrongly signed request changes nothing.
 */
export async function handleMuxWebhook(rawBody: string, headers: Headers, attach: AttachFile): Promise<WebhookOutcome> {
  try {
    await (await muxClient()).webhooks.verifySignature(rawBody, headers);
  } catch {
    return { status: 401, result: "bad_signature" };
  }
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { status: 400, result: "malformed" };
  }
  const type = z.object({ type: z.string() }).safeParse(json);
  if (!type.success) return { status: 400, result: "malformed" };
  if (!["video.upload.asset_created", "video.asset.ready", "video.asset.errored"].includes(type.data.type)) {
    return { status: 200, result: "ignored" };
  }
  const event = WebhookEvent.safeParse(json);
  if (!event.success) return { status: 400, result: "malformed" };

  if (event.data.type === "video.upload.asset_created") {
    const { count } = await db.mediaUpload.updateMany({
      where: { muxUploadId: event.data.data.id, status: "RECEIVING" },
      data: { muxAssetId: event.data.data.asset_id, status: "PROCESSING" },
    });
    return { status: 200, result: count > 0 ? "processing" : "unknown_upload" };
  }
  const asset = event.data.data;
  const upload = await findUploadForAsset(asset);
  if (!upload) return { status: 200, result: "unknown_upload" };

  if (event.data.type === "video.asset.errored") {
    const message = asset.errors?.messages?.join(" ") || asset.errors?.type || "";
    await refuse(upload.id, asset.id, { code: "muxErrored", values: { message } });
    return { status: 200, result: "errored" };
  }

  const duration = asset.duration ?? 0;
  const rule = checkLessonDuration(duration);
  if (!rule.ok) {
    await refuse(upload.id, asset.id, {
      code: rule.reason === "too_long" ? "tooLong" : "tooShort",
      values: { measured: rule.measured },
    });
    // Nothing of a refused video stays stored, at Mux either.
    await (await muxClient()).video.assets.delete(asset.id).catch((error: unknown) => {
      logger.error({ err: error, asset: asset.id }, "could not delete a refused Mux asset");
    });
    return { status: 200, result: "refused" };
  }
  const playbackId = asset.playback_ids?.find((p) => p.policy === "public")?.id ?? asset.playback_ids?.[0]?.id;
  if (!playbackId || !upload.lessonId) {
    await refuse(upload.id, asset.id, { code: "muxErrored", values: { message: "no playback id" } });
    return { status: 200, result: "errored" };
  }
  const lessonId = upload.lessonId;
  await db.$transaction(async (tx) => {
    const created = await tx.mediaAsset.create({
      data: {
        kind: "VIDEO",
        storage: "MUX",
        status: "READY",
        mimeType: "application/x-mpegURL",
        durationSeconds: duration,
        originalName: upload.fileName,
        sizeBytes: upload.sizeBytes,
        muxUploadId: upload.muxUploadId,
        muxAssetId: asset.id,
        muxPlaybackId: playbackId,
        createdById: upload.createdById,
      },
      select: { id: true },
    });
    const replaced = await attach(
      tx,
      { purpose: "LESSON_VIDEO", courseId: upload.courseId, lessonId },
      { assetId: created.id, durationSeconds: duration, pageCount: null },
    );
    await tx.mediaUpload.delete({ where: { id: upload.id } });
    await refreshUnusedMarks(tx, replaced);
  });
  return { status: 200, result: "ready" };
}

async function findUploadForAsset(asset: z.infer<typeof AssetData>) {
  const select = {
    id: true,
    lessonId: true,
    courseId: true,
    fileName: true,
    sizeBytes: true,
    muxUploadId: true,
    createdById: true,
    status: true,
  } as const;
  const byAsset = await db.mediaUpload.findUnique({ where: { muxAssetId: asset.id }, select });
  if (byAsset) return byAsset.status === "REFUSED" ? null : byAsset;
  if (asset.upload_id) {
    const byUpload = await db.mediaUpload.findUnique({ where: { muxUploadId: asset.upload_id }, select });
    if (byUpload) return byUpload.status === "REFUSED" ? null : byUpload;
  }
  return null;
}

async function refuse(uploadId: string, muxAssetId: string, refusal: UploadRefusal) {
  await db.mediaUpload.update({
    where: { id: uploadId },
    data: { status: "REFUSED", muxAssetId, refusal: serializeRefusal(refusal) },
  });
}
