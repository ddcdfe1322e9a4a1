// Every route action × a set of bodies no form can be read from, sent by
// someone who may post there. A client's mistake is a 4xx with a short
// translated text: never a 500, never a stack trace. Generated from the route
// files: a new action fails here until ANSWERS says how it treats a body.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FORM_MAX_BYTES } from "~/utils/read-form.server";
import {
  actionArgs,
  createRoutePeople,
  routeName,
  routes,
  ROLES,
  settle,
  type Role,
  type RoutePeople,
} from "../helpers/routes";

/**
 * How each action answers a body it cannot use:
 *   form     reads a form with readForm: 400, and 413 for one over its cap
 *   import   a roster or training import (coverage/upload.server.ts): 400 or
 *            413 with a reason the page translates ("unreadableForm", "noFile";
 *            the page's action names it "coverage:file.noFile")
 *   json     reads JSON (utils/http.server.ts): 400, 413 or 415
 *   ignored  never reads the body: answers as it does to an empty form
 *   closed   nobody posting here gets past its gate in a test (404 without Mux)
 */
type Answer = "form" | "import" | "json" | "ignored" | "closed";
const ANSWERS: Record<string, Answer> = {
  "account.tsx": "form",
  "admin.outbox.tsx": "form",
  "admin.target-groups.tsx": "form",
  "admin.users.$userId.tsx": "form",
  "admin.users._index.tsx": "form",
  "certificates.$code.tsx": "form",
  "coverage.certificates._index.tsx": "form",
  "api.mux.webhook.ts": "closed",
  "api.progress.ts": "json",
  "api.uploads.$uploadId.ts": "closed",
  "api.uploads.ts": "json",
  "api.views.ts": "json",
  "courses.$courseCode.$lessonSlug.tsx": "form",
  "courses.$courseCode._index.tsx": "ignored",
  "coverage.import.tsx": "import",
  "coverage.reminders._index.tsx": "form",
  "coverage.roster.$personId.tsx": "form",
  "coverage.upload.ts": "import",
  "forgot-password.tsx": "form",
  "invite.$token.tsx": "ignored",
  "language.tsx": "form",
  "login.tsx": "form",
  "logout.tsx": "ignored",
  "my-learning.tsx": "form",
  "reset-password.$token.tsx": "form",
  "set-password.$token.tsx": "form",
  "signup.tsx": "form",
  "teach.courses.$courseId._index.tsx": "form",
  "teach.courses.$courseId.lessons.$lessonId.tsx": "form",
  "teach.courses.$courseId.preview.$lessonId.tsx": "form",
  "teach.courses.new.tsx": "form",
  "unsubscribe.$token.tsx": "ignored",
};

const multipart = (type: string, body: string): RequestInit => ({ body, headers: { "Content-Type": type } });
const urlencoded = (body: BodyInit): RequestInit => ({
  body,
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
});
// Over every route's cap, the lesson editor's 4 MB included.
const OVERSIZED = 5 * 1024 * 1024;

const BAD_BODIES: [string, () => RequestInit][] = [
  ["JSON", () => ({ body: '{"intent":"details"}', headers: { "Content-Type": "application/json" } })],
  ["broken JSON", () => ({ body: '{"intent":', headers: { "Content-Type": "application/json" } })],
  ["plain text", () => ({ body: "intent=details", headers: { "Content-Type": "text/plain" } })],
  [
    "bytes without a Content-Type",
    () => ({ body: Uint8Array.from([0, 159, 146, 150, 255]), headers: { "Content-Type": "" } }),
  ],
  ["multipart without its boundary", () => multipart("multipart/form-data", "--x\r\n")],
  ["multipart whose boundary never appears", () => multipart("multipart/form-data; boundary=zz", "intent=details\r\n")],
  [
    "multipart cut off inside a part",
    () =>
      multipart(
        "multipart/form-data; boundary=zz",
        '--zz\r\nContent-Disposition: form-data; name="intent"\r\n\r\ndeta',
      ),
  ],
  ["a url-encoded form with a percent-escape cut short", () => urlencoded("intent=%E0%A4%A")],
  ["a url-encoded form with an escape that is not UTF-8", () => urlencoded("intent=%FF%FE")],
  ["a url-encoded form with bytes that are not UTF-8", () => urlencoded(Uint8Array.from([0x61, 0x3d, 0xc3, 0x28]))],
];

/** A url-encoded body of OVERSIZED bytes, streamed without a Content-Length; `pulled` counts what the route read. */
function oversizedBody() {
  const piece = new TextEncoder().encode("x".repeat(64 * 1024));
  const sent = { pulled: 0 };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("intent="));
    },
    pull(controller) {
      if (sent.pulled >= OVERSIZED) return controller.close();
      sent.pulled += piece.length;
      controller.enqueue(piece);
    },
  });
  return { init: { ...urlencoded(body), duplex: "half" } as RequestInit, sent };
}

const actions = Object.keys(routes)
  .filter((file) => routes[file]!.action)
  .sort();

let people: RoutePeople;
/** Per action, the first person, signed in if possible, whom an empty form gets past its gate. */
const poster = new Map<string, Role>();

beforeAll(async () => {
  people = await createRoutePeople();
  const order: Role[] = [...ROLES.filter((r) => r !== "anonymous"), "anonymous"];
  for (const file of actions) {
    for (const role of order) {
      const outcome = await settle(async () => routes[file]!.action!(await actionArgs(people, file, role)));
      if (outcome === "ok" || outcome === "input") {
        poster.set(file, role);
        break;
      }
    }
  }
}, 120_000);

type Answered = { status: number; text: string };

/** What the action answers, as the HTTP status Remix would send; a thrown non-Response is a 500. */
async function post(file: string, init: RequestInit): Promise<Answered> {
  const role = poster.get(file) ?? "admin";
  const args = await actionArgs(people, file, role, init);
  if (init.headers && (init.headers as Record<string, string>)["Content-Type"] === "")
    args.request.headers.delete("Content-Type");
  try {
    const result = await routes[file]!.action!(args);
    if (result instanceof Response) return { status: result.status, text: await result.text() };
    // Remix's data(value, { status }) and plain objects.
    const shaped = result as { type?: string; init?: { status?: number } | null; data?: unknown } | null;
    if (shaped?.type === "DataWithResponseInit")
      return { status: shaped.init?.status ?? 200, text: JSON.stringify(shaped.data) };
    return { status: 200, text: JSON.stringify(result ?? null) };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text() };
    return { status: 500, text: thrown instanceof Error ? `${thrown.message}\n${thrown.stack}` : String(thrown) };
  }
}

const STACK = /\n\s+at \S|node_modules|TypeError|SyntaxError|URIError/;

function expectAnswer(file: string, answer: Answered, oversized: boolean) {
  const kind = ANSWERS[routeName(file)]!;
  const where = `${routeName(file)} (${kind}) answered ${answer.status}: ${answer.text.slice(0, 200)}`;
  expect(answer.status, where).toBeLessThan(500);
  expect(answer.text, where).not.toMatch(STACK);
  if (kind === "form") expect(answer.status, where).toBe(oversized ? 413 : 400);
  if (kind === "form") expect(answer.text, where).toMatch(oversized ? /quá lớn/ : /không hợp lệ/);
  if (kind === "import") expect([400, 413], where).toContain(answer.status);
  if (kind === "import")
    expect(answer.text, where).toMatch(/"(reason":"|key":"coverage:file\.)(unreadableForm|noFile|tooLarge)"/);
  if (kind === "json") expect([400, 413, 415], where).toContain(answer.status);
  if (kind === "ignored") expect(answer.status, where).toBeLessThan(400);
  if (kind === "closed") expect([401, 403, 404], where).toContain(answer.status);
}

describe("malformed bodies on every route action", () => {
  it("every action says how it answers a body it cannot use", () => {
    const names = actions.map(routeName);
    expect(
      names.filter((name) => !(name in ANSWERS)),
      "actions without a row in ANSWERS",
    ).toEqual([]);
    expect(
      Object.keys(ANSWERS).filter((name) => !names.includes(name)),
      "rows for actions that no longer exist",
    ).toEqual([]);
  });

  it("someone gets past each open action's gate, signed in where the route wants it", () => {
    for (const file of actions) {
      if (ANSWERS[routeName(file)] === "closed") continue;
      expect(poster.get(file), routeName(file)).toBeDefined();
    }
  });

  it.each(BAD_BODIES)(
    "%s: a 4xx with no stack trace, a 400 where a form is read",
    async (_name, body) => {
      for (const file of actions) expectAnswer(file, await post(file, body()), false);
    },
    120_000,
  );

  it("a body over the route's cap: 413 where a form is read, and never read whole", async () => {
    for (const file of actions) {
      const { init, sent } = oversizedBody();
      expectAnswer(file, await post(file, init), true);
      // Read up to the cap (4 MB at most, the lesson editor's) and no further.
      if (ANSWERS[routeName(file)] === "form")
        expect(sent.pulled, routeName(file)).toBeLessThanOrEqual(4 * 1024 * 1024 + 256 * 1024);
    }
  }, 120_000);
});

/** Whether a value is an ActionResult (app/utils/forms.ts, decision 082). */
function isActionResult(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const result = value as Record<string, unknown>;
  const intentOk = result.intent === undefined || typeof result.intent === "string";
  if (result.status === "ok")
    return intentOk && "data" in result && Object.keys(result).every((k) => ["status", "intent", "data"].includes(k));
  if (result.status !== "invalid" || typeof result.fieldErrors !== "object" || result.fieldErrors === null)
    return false;
  const known = ["status", "intent", "fieldErrors", "formError", "problems"];
  return (
    intentOk &&
    Object.values(result.fieldErrors).every((m) => typeof m === "string") &&
    Object.keys(result).every((k) => known.includes(k))
  );
}

describe("one action-result shape", () => {
  // The forms' answers: the empty form each gate lets through, and one field
  // of nonsense (an intent no form has, a blank reason), from whoever may post.
  const FORMS: Record<string, string>[] = [
    {},
    { intent: "nonsense" },
    { intent: "void", recordId: "r-1", reason: "" },
    { intent: "unlink", reason: "" },
  ];

  it("every form action answers with a Response (redirect or error) or an ActionResult, never a shape of its own", async () => {
    const offenders: string[] = [];
    for (const file of actions) {
      if (
        ANSWERS[routeName(file)] !== "form" &&
        ANSWERS[routeName(file)] !== "import" &&
        ANSWERS[routeName(file)] !== "ignored"
      )
        continue;
      for (const form of FORMS) {
        const args = await actionArgs(people, file, poster.get(file) ?? "admin", { body: new URLSearchParams(form) });
        let result: unknown;
        try {
          result = await routes[file]!.action!(args);
        } catch (thrown) {
          if (thrown instanceof Response) continue;
          throw thrown;
        }
        if (result instanceof Response) continue;
        const shaped = result as { type?: string; data?: unknown } | null;
        const value = shaped?.type === "DataWithResponseInit" ? shaped.data : result;
        if (!isActionResult(value))
          offenders.push(`${routeName(file)} ${JSON.stringify(form)}: ${JSON.stringify(value).slice(0, 160)}`);
      }
    }
    expect(offenders).toEqual([]);
  }, 120_000);

  it("the check itself tells an ActionResult from the shapes it replaced", () => {
    expect(isActionResult({ status: "ok", data: null })).toBe(true);
    expect(
      isActionResult({
        status: "invalid",
        intent: "caption",
        fieldErrors: { file: "teach:validation.fileRequired" },
        formError: { key: "x" },
      }),
    ).toBe(true);
    for (const old of [
      { errors: {} },
      { intent: "details", notice: "lesson.saved" },
      { outcome: "queued" },
      { done: true },
      { status: "ok", data: 1, notice: "x" },
      null,
    ]) {
      expect(isActionResult(old), JSON.stringify(old)).toBe(false);
    }
  });
});

describe("the one way a form is read", () => {
  it(`no file under app/ calls .formData() but read-form.server.ts (default cap ${FORM_MAX_BYTES / 1024} KB)`, async () => {
    const app = path.resolve(__dirname, "../../app");
    const files = (await readdir(app, { recursive: true })).filter(
      (f) => /\.(ts|tsx)$/.test(f) && !f.endsWith(`utils${path.sep}read-form.server.ts`),
    );
    const offenders: string[] = [];
    for (const file of files) {
      const source = await readFile(path.join(app, file), "utf8");
      source.split("\n").forEach((line, i) => {
        if (/\.formData\s*\(/.test(line)) offenders.push(`app/${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
