import type { ActionFunctionArgs } from "@remix-run/node";
import { getOptionalUser } from "~/auth/auth.server";
import { ProgressReportSchema, recordProgress } from "~/learning/progress.server";
import { json, parseJsonBody } from "~/utils/http.server";

// A report is a lesson id, up to 100 ranges and a position: well under 4 KB.
const MAX_BODY_BYTES = 4096;

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return json({ ok: false, error: "method not allowed" }, 405);
  const user = await getOptionalUser(request);
  if (!user) return json({ ok: false, error: "unauthorized" }, 401);
  const report = await parseJsonBody(request, ProgressReportSchema, MAX_BODY_BYTES);
  const outcome = await recordProgress(user.id, report);
  return outcome.ok ? json(outcome) : json(outcome, outcome.status);
}

export function loader() {
  return json({ ok: false, error: "method not allowed" }, 405);
}
