import { handleMuxWebhook as applyMuxEvent } from "~/media/mux.server";
import type { Uploader } from "~/media/placement";
import {
  receiveChunk as receiveFileChunk,
  startUpload as startFileUpload,
  type ChunkRange,
  type UploadStart,
} from "~/media/upload.server";
import { attachMuxVideo, uploadPlacement } from "./attach.server";

// The entry points of trainers' uploads and of Mux's webhook: media stores
// and measures the file, teach decides who may upload to a course and where
// the file goes (attach.server.ts).

export function startUpload(actor: Uploader, input: UploadStart, origin: string) {
  return startFileUpload(uploadPlacement, actor, input, origin);
}

export function receiveChunk(
  actor: Uploader,
  uploadId: string,
  range: ChunkRange | { query: true; total: number },
  body: ReadableStream<Uint8Array> | null,
) {
  return receiveFileChunk(uploadPlacement, actor, uploadId, range, body);
}

export function handleMuxWebhook(rawBody: string, headers: Headers) {
  return applyMuxEvent(rawBody, headers, attachMuxVideo);
}
