import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getOptionalUser } from "~/auth/auth.server";
import { cancelUpload, parseContentRange, uploadStatus } from "~/media/upload.server";
import { receiveChunk } from "~/teach/uploads.server";
import { apiError, json } from "~/utils/http.server";
import { Id } from "~/utils/route.server";

// The chunk endpoint of a local upload (see app/media/upload.server.ts):
//   PUT    Content-Range: bytes a-b/total  → 202 (send more), 200 (stored), 422 (refused),
//          409 (starts past what arrived: resume from receivedBytes), 413 (longer than its range),
//          507 (the media folder is full: the upload is gone) or 503 (it is read-only: retry later)
//   PUT    Content-Range: bytes */total    → how much has arrived
//   GET                                    → status, for resuming
//   DELETE                                 → cancel and free the bytes
// ?offset=N: the browser resumed and numbers its ranges from byte N.
// Cloud storage answers "send more" with 308; Remix treats every 3xx from a
// route as a redirect, so this endpoint says 202 (UpChunk takes both), with
// the same Range header. Every answer is sent before the rest of a body
// this endpoint will not store is read and dropped (upload.server.ts).

const Params = z.object({ uploadId: Id });
const Offset = z.coerce.number().int().nonnegative().default(0);

async function actor(request: Request) {
  return getOptionalUser(request);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params);
  const user = await actor(request);
  if (!user) return apiError(401, "unauthorized");
  if (!parsed.success) return apiError(404, "not found");
  const status = await uploadStatus(user, parsed.data.uploadId);
  return status ? json({ ok: true, ...status }) : apiError(404, "not found");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = Params.safeParse(params);
  const user = await actor(request);
  if (!user) return apiError(401, "unauthorized");
  if (!parsed.success) return apiError(404, "not found");
  const { uploadId } = parsed.data;

  if (request.method === "DELETE") {
    return (await cancelUpload(user, uploadId)) ? json({ ok: true }) : apiError(404, "not found");
  }
  if (request.method !== "PUT") return apiError(405, "method not allowed");

  const offset = Offset.safeParse(new URL(request.url).searchParams.get("offset") ?? undefined);
  const range = offset.success ? parseContentRange(request.headers.get("Content-Range"), offset.data) : null;
  if (!range || !offset.success) return apiError(400, "a Content-Range header is required");

  const outcome = await receiveChunk(user, uploadId, range, request.body);
  // Ranges are reported the way the browser numbers them (from its offset).
  const rangeHeader = (received: number): Record<string, string> =>
    received > offset.data ? { Range: `bytes=0-${received - 1 - offset.data}` } : {};
  switch (outcome.kind) {
    case "incomplete":
      return new Response(null, { status: 202, headers: rangeHeader(outcome.receivedBytes) });
    case "conflict":
      return new Response(
        JSON.stringify({ ok: false, error: "resume from receivedBytes", receivedBytes: outcome.receivedBytes }),
        {
          status: 409,
          headers: { "Content-Type": "application/json; charset=utf-8", ...rangeHeader(outcome.receivedBytes) },
        },
      );
    case "done": {
      const { kind: _kind, finalizeMs, ...result } = outcome;
      return new Response(JSON.stringify({ ok: true, ...result }), {
        status: 200,
        headers: { "Content-Type": "application/json; charset=utf-8", "Server-Timing": `finalize;dur=${finalizeMs}` },
      });
    }
    case "refused":
      return json({ ok: false, refusal: outcome.refusal }, 422);
    case "forbidden":
      return apiError(403, "forbidden");
    case "tooLong":
      return apiError(413, "the chunk is longer than its Content-Range");
    case "storageFailed":
      return outcome.failure === "full"
        ? json({ ok: false, refusal: { code: "storageFull" } }, 507)
        : json({ ok: false, refusal: { code: "storageReadOnly" } }, 503);
    case "badRange":
      return apiError(400, "the Content-Range does not match the upload");
    case "notFound":
      return apiError(404, "not found");
  }
}
