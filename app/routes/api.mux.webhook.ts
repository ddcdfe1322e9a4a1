import type { ActionFunctionArgs } from "@remix-run/node";
import { handleMuxWebhook } from "~/teach/uploads.server";
import { getEnv } from "~/utils/env.server";
import { apiError, json, readTextBody } from "~/utils/http.server";

// Mux's events about direct uploads and assets. The signature is checked on
// the raw body, so it is read as text, never parsed first.
const MAX_BODY_BYTES = 256 * 1024;

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method not allowed");
  if (getEnv().videoStorage !== "mux") return apiError(404, "mux is not configured");
  const body = await readTextBody(request, MAX_BODY_BYTES);
  if (body === null) return apiError(413, "body too large");
  const outcome = await handleMuxWebhook(body, request.headers);
  return json({ ok: outcome.status === 200, result: outcome.result }, outcome.status);
}

export function loader() {
  return apiError(405, "method not allowed");
}
