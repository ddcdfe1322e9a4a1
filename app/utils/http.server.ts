import type { z } from "zod";

export class BodyError extends Error {
  constructor(readonly status: 400 | 413 | 415) {
    super(status === 413 ? "body too large" : status === 415 ? "expected application/json" : "malformed JSON");
  }
}

/** The body as text, reading at most `maxBytes` (Content-Length is not trusted); null when larger. */
export async function readBodyText(request: Request, maxBytes: number): Promise<string | null> {
  if (Number(request.headers.get("Content-Length") ?? "0") > maxBytes) return null;
  if (!request.body) return "";
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
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads at most `maxBytes` of the body and parses it as JSON. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("application/json")) throw new BodyError(415);
  const text = await readBodyText(request, maxBytes);
  if (text === null) throw new BodyError(413);
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError(400);
  }
}

export function json(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), { status, headers: { "Content-Type": "application/json; charset=utf-8" } });
}

/** Parses a JSON body with a schema; bad input becomes a 4xx response and nothing else happens. */
export async function parseJsonBody<T>(request: Request, schema: z.ZodType<T>, maxBytes: number): Promise<T> {
  let body: unknown;
  try {
    body = await readJsonBody(request, maxBytes);
  } catch (error) {
    if (error instanceof BodyError) throw json({ ok: false, error: error.message }, error.status);
    throw error;
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw json({ ok: false, error: "invalid body", issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) }, 400);
  }
  return parsed.data;
}
