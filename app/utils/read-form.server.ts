import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import i18next from "~/i18next.server";
import { isLanguage, fallbackLanguage, resources } from "~/i18n";
import { readBounded } from "./http.server";
import { logger, redactPath } from "./logger.server";

// The one way a route action reads a submitted form. `request.formData()`
// reads any body whole into memory and throws a TypeError on one it cannot
// parse, which Remix answers with a 500; a script, a proxy or an old tab can
// send such a body to any route. Here a body is read up to a cap, parsed
// strictly, and anything malformed becomes a 400 (a 413 when too large) whose
// text is in the sender's language; the root ErrorBoundary shows the page.

/** A form of text fields: the largest route form (a course's details) is a few kilobytes. */
export const FORM_MAX_BYTES = 64 * 1024;

export type ReadFormOptions = {
  /** The largest body accepted, in bytes; files included. */
  maxBytes?: number;
  /** Accept multipart/form-data, with files of at most `maxFileBytes` each. Only for routes that take files. */
  files?: { maxFileBytes: number };
};

export type FormProblem = "badForm" | "tooLarge";

/** The 4xx a route throws for a form it cannot read: text in the sender's language. */
export async function formProblem(request: Request, problem: FormProblem, reason: string): Promise<Response> {
  const status = problem === "tooLarge" ? 413 : 400;
  logger.warn(
    { status, method: request.method, path: redactPath(new URL(request.url).pathname), reason },
    "unreadable form",
  );
  const detected = await i18next.getLocale(request).catch(() => fallbackLanguage);
  const language = isLanguage(detected) ? detected : fallbackLanguage;
  const { title, body } = resources[language].common.errors[problem === "tooLarge" ? "tooLarge" : "badRequest"];
  return new Response(`${title}. ${body}`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/** True for the Response `readForm` throws when the body is over its cap. */
export const isFormTooLarge = (error: unknown): error is Response => error instanceof Response && error.status === 413;

/**
 * The submitted form's fields. Throws a 400 Response for a body that is not
 * a form this route takes (wrong Content-Type, broken multipart, percent-
 * escapes that do not decode to UTF-8) and a 413 for one over `maxBytes`.
 * A POST with no body at all is an empty form.
 */
export async function readForm(request: Request, options: ReadFormOptions = {}): Promise<FormData> {
  const maxBytes = options.maxBytes ?? FORM_MAX_BYTES;
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  const fail = async (problem: FormProblem, reason: string): Promise<never> => {
    throw await formProblem(request, problem, reason);
  };
  if (!request.body) return new FormData();
  if (Number(request.headers.get("Content-Length") ?? "0") > maxBytes)
    return fail("tooLarge", "declared length over the cap");

  if (type === "multipart/form-data" && options.files)
    return readMultipart(request, maxBytes, options.files.maxFileBytes, fail);

  const bytes = await readBounded(request, maxBytes).catch(() => fail("badForm", "the body could not be read"));
  if (bytes === null) return fail("tooLarge", "body over the cap");
  if (type === "application/x-www-form-urlencoded") {
    const form = parseUrlEncoded(bytes);
    return form ?? fail("badForm", "malformed url-encoded form");
  }
  // Nothing sent, whatever it was labelled: a form without fields.
  if (bytes.length === 0) return new FormData();
  return fail("badForm", `a ${type || "body without Content-Type"} where a form was expected`);
}

/** application/x-www-form-urlencoded, strictly: null when a byte or an escape is not UTF-8. */
export function parseUrlEncoded(bytes: Uint8Array): FormData | null {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  const form = new FormData();
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const at = pair.indexOf("=");
    const name = decodeFormComponent(at === -1 ? pair : pair.slice(0, at));
    const value = decodeFormComponent(at === -1 ? "" : pair.slice(at + 1));
    if (name === null || value === null) return null;
    form.append(name, value);
  }
  return form;
}

function decodeFormComponent(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return null; // "%E0%A4%A", "%FF": not percent-escaped UTF-8
  }
}

async function readMultipart(
  request: Request,
  maxBytes: number,
  maxFileBytes: number,
  fail: (problem: FormProblem, reason: string) => Promise<never>,
) {
  const boundary = /;\s*boundary="?([^";]+)"?/i.exec(request.headers.get("Content-Type") ?? "")?.[1];
  if (!boundary) return fail("badForm", "multipart form without a boundary");
  // Remix's parser takes a body whose boundary never appears for an empty
  // form; a whole multipart body ends with its closing delimiter.
  const closing = Buffer.from(`--${boundary}--`);
  let tail: Buffer = Buffer.alloc(0);
  let received = 0;
  let overCap = false;
  const counted = request.body!.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > maxBytes) {
          overCap = true;
          controller.error(new Error("body over the cap"));
          return;
        }
        tail = Buffer.concat([tail, chunk]).subarray(-(closing.length + 64));
        controller.enqueue(chunk);
      },
    }),
  );
  const bounded = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: counted,
    duplex: "half",
  } as RequestInit);
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      bounded,
      unstable_createMemoryUploadHandler({ maxPartSize: maxFileBytes }),
    );
  } catch (error) {
    if (overCap || error instanceof MaxPartSizeExceededError)
      return fail("tooLarge", "a file or the body over the cap");
    return fail("badForm", `malformed multipart form: ${(error as Error).message}`);
  }
  if (!tail.toString("latin1").trimEnd().endsWith(closing.toString("latin1")))
    return fail("badForm", "multipart form without its closing boundary");
  return form;
}
