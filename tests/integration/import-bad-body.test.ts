// An import posted without a multipart body (a script, a proxy that rewrote
// it) is the client's mistake: 400 with the message the form translates,
// never a 500, and no import started.
import { beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import * as importPage from "~/routes/coverage.import";
import * as upload from "~/routes/coverage.upload";
import { createCoordinator } from "../helpers/coverage";

let cookie = "";
beforeAll(async () => {
  await seedReferenceData();
  const { user } = await createCoordinator("import.badbody@example.vn");
  const token = generateSessionToken();
  await createSession(token, user.id);
  cookie = `${SESSION_COOKIE}=${token}`;
});

const bodies: [string, RequestInit][] = [
  ["JSON", { body: JSON.stringify({ kind: "roster" }), headers: { "Content-Type": "application/json" } }],
  ["a url-encoded form", { body: new URLSearchParams({ kind: "roster" }) }],
  ["multipart without its boundary", { body: "--x\r\n", headers: { "Content-Type": "multipart/form-data" } }],
];

function post(path: string, init: RequestInit) {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    ...init,
    headers: { Cookie: cookie, ...(init.headers as Record<string, string>) },
  });
}

describe("an import without a multipart body", () => {
  it.each(bodies)("%s to /coverage/upload answers 400 with the form's message", async (_name, init) => {
    const response = await upload.action({ request: post("/coverage/upload", init), params: {}, context: {} });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ ok: false, reason: "unreadableForm", params: {} });
    expect(await db.dataImport.count()).toBe(0);
  });

  it("to /coverage/import (no JavaScript) answers 400 and shows the message on the page", async () => {
    const result = await importPage.action({
      request: post("/coverage/import", bodies[0]![1]),
      params: {},
      context: {},
    });
    expect(result).toMatchObject({
      init: { status: 400 },
      data: { status: "invalid", formError: { key: "coverage:file.unreadableForm" } },
    });
  });
});
