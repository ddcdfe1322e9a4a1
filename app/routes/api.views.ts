import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getOptionalUser } from "~/auth/auth.server";
import { startLessonView } from "~/learning/views.server";
import { json, parseJsonBody } from "~/utils/http.server";

const ViewStartSchema = z.object({ lessonId: z.string().min(1).max(40) }).strict();

// POST /api/views {lessonId} → {viewId}: the player asks for a new view when
// its page has been open longer than a view lives. The lesson page starts
// the first one itself.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return json({ ok: false, error: "method not allowed" }, 405);
  const user = await getOptionalUser(request);
  if (!user) return json({ ok: false, error: "unauthorized" }, 401);
  const { lessonId } = await parseJsonBody(request, ViewStartSchema, 1024);
  const viewId = await startLessonView(user.id, lessonId);
  return viewId ? json({ ok: true, viewId }) : json({ ok: false, error: "unknown_lesson" }, 404);
}

export function loader() {
  return json({ ok: false, error: "method not allowed" }, 405);
}
