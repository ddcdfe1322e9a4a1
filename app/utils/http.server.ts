import type { z } from "zod";

export class BodyError extends Error {
  constructor(readonly status: 400 | 413 | 415) {
    super(status === 413 ? "body too large" : status === 415 ? "expected application/json" : "malformed JSON");
  }
}

/** The body, or null when it is longer than `maxBytes` (read no further than that). */
export async function readBounded(request: Request, maxBytes: number): Promise<Buffer | null> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) return null;
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Reads at most `maxBytes` of the body and parses it as JSON, without trusting Content-Length. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("application/json")) throw new BodyError(415);
  if (!request.body) throw new BodyError(400);
  const body = await readBounded(request, maxBytes);
  if (body === null) throw new BodyError(413);
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new BodyError(400);
  }
}

/** The body as UTF-8 text, or null when it is longer than `maxBytes`. */
export async function readTextBody(request: Request, maxBytes: number): Promise<string | null> {
  return (await readBounded(request, maxBytes))?.toString("utf8") ?? null;
}

export function json(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), { status, headers: { "Content-Type": "application/json; charset=utf-8" } });
}

/**
 * The one error body of the JSON APIs (uploads, progress, views, webhooks):
 * `{ ok: false, error }` plus whatever the client needs to go on (a refusal to
 * translate, where to resume). Browsers and Mux read this shape, so it stays
 * as it was; forms use ActionResult (utils/forms.ts) instead.
 */
export type ApiError<Extra extends Record<string, unknown> = Record<never, never>> = {
  ok: false;
  error: string;
} & Extra;

export function apiError<Extra extends Record<string, unknown> = Record<never, never>>(
  status: number,
  error: string,
  extra?: Extra,
): Response {
  return json({ ok: false, error, ...extra } satisfies ApiError<Record<string, unknown>>, status);
}

/** Parses a JSON body with a schema; bad input becomes a 4xx response and nothing else happens. */
export async function parseJsonBody<T>(request: Request, schema: z.ZodType<T>, maxBytes: number): Promise<T> {
  let body: unknown;
  try {
    body = await readJsonBody(request, maxBytes);
  } catch (error) {
    if (error instanceof BodyError) throw apiError(error.status, error.message);
    throw error;
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw json(
      { ok: false, error: "invalid body", issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) },
      400,
    );
  }
  return parsed.data;
}
