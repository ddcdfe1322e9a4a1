import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getOptionalUser } from "~/auth/auth.server";
import { startLessonView } from "~/learning/views.server";
import { apiError, json, parseJsonBody } from "~/utils/http.server";

const ViewStartSchema = z.object({ lessonId: z.string().min(1).max(40) }).strict();

// POST /api/views {lessonId} → {viewId}: the player asks for a new view when
// its page has been open longer than a view lives. The lesson page starts
// the first one itself.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method not allowed");
  const user = await getOptionalUser(request);
  if (!user) return apiError(401, "unauthorized");
  const { lessonId } = await parseJsonBody(request, ViewStartSchema, 1024);
  const viewId = await startLessonView(user.id, lessonId);
  return viewId ? json({ ok: true, viewId }) : apiError(404, "unknown_lesson");
}

export function loader() {
  return apiError(405, "method not allowed");
}
