import type { ActionFunctionArgs } from "@remix-run/node";
import { getOptionalUser } from "~/auth/auth.server";
import { UploadStartSchema } from "~/media/upload.server";
import { startUpload } from "~/teach/uploads.server";
import { apiError, json, parseJsonBody } from "~/utils/http.server";

// POST /api/uploads {purpose, courseId, lessonId?, fileName, sizeBytes}
// → where to send the bytes: our chunk endpoint (local storage) or a Mux
// Direct Upload URL. Oversized files are refused here, before any byte moves.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method not allowed");
  const user = await getOptionalUser(request);
  if (!user) return apiError(401, "unauthorized");
  const input = await parseJsonBody(request, UploadStartSchema, 4096);
  const result = await startUpload(user, input, new URL(request.url).origin);
  return result.ok ? json(result) : json(result, result.status);
}

export function loader() {
  return apiError(405, "method not allowed");
}
