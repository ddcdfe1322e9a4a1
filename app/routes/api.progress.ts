import type { ActionFunctionArgs } from "@remix-run/node";
import { handleProgressReport, MAX_PROGRESS_BODY_BYTES } from "~/learning/progress-http.server";
import { apiError, json, readTextBody } from "~/utils/http.server";

// In production, server.js answers this path before Remix does, with the
// same handler; this route serves the dev server and anything else.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method not allowed");
  const body = await readTextBody(request, MAX_PROGRESS_BODY_BYTES);
  if (body === null) return apiError(413, "body too large");
  const result = await handleProgressReport({
    cookie: request.headers.get("Cookie"),
    contentType: request.headers.get("Content-Type"),
    body,
  });
  return json(result.body, result.status);
}

export function loader() {
  return apiError(405, "method not allowed");
}
