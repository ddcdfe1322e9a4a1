import {
  readSessionTokenFromCookie,
  sessionIdFromToken,
  settleSessionExpiry,
  validateSessionToken,
} from "~/auth/session.server";
import { ProgressReportSchema, recordProgress } from "./progress.server";
import { loadSessionAndContext } from "./progress-store.server";

// A report is a lesson id, up to 100 ranges and a position: well under 4 KB.
export const MAX_PROGRESS_BODY_BYTES = 4096;

export type ProgressHttpInput = { cookie: string | null; contentType: string | null; body: string };
export type ProgressHttpResult = { status: number; body: Record<string, unknown> };

const UNAUTHORIZED: ProgressHttpResult = { status: 401, body: { ok: false, error: "unauthorized" } };

/**
 * The progress endpoint without a framework around it: the Remix route
 * (app/routes/api.progress.ts) and the production server's fast path
 * (server.js) both call this, so they cannot disagree.
 */
export async function handleProgressReport(input: ProgressHttpInput): Promise<ProgressHttpResult> {
  if (!input.contentType?.startsWith("application/json")) {
    return { status: 415, body: { ok: false, error: "expected application/json" } };
  }
  if (Buffer.byteLength(input.body) > MAX_PROGRESS_BODY_BYTES) {
    return { status: 413, body: { ok: false, error: "body too large" } };
  }
  const token = readSessionTokenFromCookie(input.cookie);
  if (!token) return UNAUTHORIZED;
  let json: unknown;
  try {
    json = JSON.parse(input.body);
  } catch {
    return (await validateSessionToken(token))
      ? { status: 400, body: { ok: false, error: "malformed JSON" } }
      : UNAUTHORIZED;
  }
  const parsed = ProgressReportSchema.safeParse(json);
  if (!parsed.success) {
    if (!(await validateSessionToken(token))) return UNAUTHORIZED;
    return {
      status: 400,
      body: {
        ok: false,
        error: "invalid body",
        issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
      },
    };
  }
  // A well-formed report: its session and its context are one read.
  const now = new Date();
  const sessionId = sessionIdFromToken(token);
  const read = await loadSessionAndContext(sessionId, parsed.data.lessonId, parsed.data.viewId);
  if (!read || !(await settleSessionExpiry(sessionId, read.sessionExpiresAt, now))) return UNAUTHORIZED;
  const outcome = await recordProgress(read.userId, parsed.data, now, read.context);
  return { status: outcome.ok ? 200 : outcome.status, body: outcome };
}
