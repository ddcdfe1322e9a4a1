import type { ActionFunctionArgs } from "@remix-run/node";
import { handleMuxWebhook } from "~/teach/uploads.server";
import { getEnv } from "~/utils/env.server";
import { json, readTextBody } from "~/utils/http.server";

// Mux's events about direct uploads and assets. The signature is checked on
// the raw body, so it is read as text, never parsed first.
const MAX_BODY_BYTES = 256 * 1024;

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return json({ ok: false, error: "method not allowed" }, 405);
  if (getEnv().videoStorage !== "mux") return json({ ok: false, error: "mux is not configured" }, 404);
  const body = await readTextBody(request, MAX_BODY_BYTES);
  if (body === null) return json({ ok: false, error: "body too large" }, 413);
  const outcome = await handleMuxWebhook(body, request.headers);
  return json({ ok: outcome.status === 200, result: outcome.result }, outcome.status);
}

export function loader() {
  return json({ ok: false, error: "method not allowed" }, 405);
}
