import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { db } from "~/utils/db.server";
import { mediaPath } from "./storage.server";

/** Parses a single `bytes=` range; null when absent, "invalid" when unsatisfiable. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null | "invalid" {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return "invalid";
  let start: number;
  let end: number;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "invalid";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start > end || start >= size) return "invalid";
  return { start, end };
}

/**
 * Serves a locally stored media asset with HTTP Range (206), a strong ETag
 * (the content hash) and long caching: a content-addressed file never changes.
 */
export async function serveLocalAsset(
  request: Request,
  assetId: string,
  cache: "public" | "private" = "public",
): Promise<Response> {
  const asset = await db.mediaAsset.findUnique({
    where: { id: assetId },
    select: { storage: true, status: true, storageKey: true, sha256: true, mimeType: true },
  });
  if (!asset || asset.storage !== "LOCAL" || asset.status !== "READY" || !asset.storageKey || !asset.sha256) {
    return new Response("Not found", { status: 404 });
  }
  const file = mediaPath(asset.storageKey);
  const info = await stat(file).catch(() => null);
  if (!info) return new Response("Not found", { status: 404 });

  const etag = `"${asset.sha256}"`;
  const headers = new Headers({
    "Content-Type": asset.mimeType,
    "Accept-Ranges": "bytes",
    ETag: etag,
    // A draft's files must not sit in shared caches.
    "Cache-Control": cache === "public" ? "public, max-age=31536000, immutable" : "private, max-age=3600",
    "X-Content-Type-Options": "nosniff",
  });
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });

  const ifRange = request.headers.get("If-Range");
  const range = ifRange && ifRange !== etag ? null : parseRange(request.headers.get("Range"), info.size);
  if (range === "invalid") {
    headers.set("Content-Range", `bytes */${info.size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: info.size - 1 };
  headers.set("Content-Length", String(end - start + 1));
  if (range) headers.set("Content-Range", `bytes ${start}-${end}/${info.size}`);
  const body =
    request.method === "HEAD"
      ? null
      : (Readable.toWeb(createReadStream(file, { start, end })) as unknown as ReadableStream<Uint8Array>);
  return new Response(body, { status: range ? 206 : 200, headers });
}
