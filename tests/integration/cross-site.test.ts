// The cross-site guard in front of the routes, asked the way server.js and
// the dev server ask it, then the route itself when the guard lets it pass.
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { closeSql } from "~/db/sql.server";
import { seedReferenceData } from "~/setup/seed.server";
import { crossSiteRefusalFor } from "~/utils/cross-site.server";
import { db } from "~/utils/db.server";
import { createCoordinator, ROSTER_HEAD } from "../helpers/coverage";

import * as language from "~/routes/language";
import * as logout from "~/routes/logout";
import * as upload from "~/routes/coverage.upload";

type Action = (args: ActionFunctionArgs) => unknown;

/** What a client gets: the guard's 403, or the route's own answer. */
async function serve(action: Action, request: Request): Promise<Response> {
  const refusal = await crossSiteRefusalFor(request);
  if (refusal)
    return new Response(refusal.body, { status: refusal.status, headers: { "Content-Type": refusal.contentType } });
  try {
    return (await action({ request, params: {}, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

let cookie = "";
const FROM_EVIL = { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" };
const FROM_HERE = { Origin: "http://localhost", "Sec-Fetch-Site": "same-origin" };

function rosterForm() {
  const form = new FormData();
  form.set("kind", "roster");
  form.set(
    "file",
    new File([`${ROSTER_HEAD}\nX-1,Người Lạ,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`], "r.csv", { type: "text/csv" }),
  );
  return form;
}

const post = (path: string, headers: Record<string, string>, body: BodyInit) =>
  new Request(`http://localhost${path}`, { method: "POST", headers: { Cookie: cookie, ...headers }, body });

beforeAll(async () => {
  await seedReferenceData();
  const { user } = await createCoordinator("cross.site@example.vn", { provinceCode: "cur-ha-noi" });
  const token = generateSessionToken();
  await createSession(token, user.id);
  cookie = `${SESSION_COOKIE}=${token}`;
});
afterAll(closeSql);

describe("a cross-site multipart POST to /coverage/upload", () => {
  it("is refused with 403 and imports nothing", async () => {
    const response = await serve(upload.action, post("/coverage/upload", FROM_EVIL, rosterForm()));
    expect(response.status).toBe(403);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(await response.text()).toContain("trang web khác");
    expect(await db.dataImport.count()).toBe(0);
    expect(await db.rosterPerson.count({ where: { personnelCode: "X-1" } })).toBe(0);
  });

  it("is refused on the Origin alone, when the browser sends no Sec-Fetch-Site", async () => {
    const response = await serve(
      upload.action,
      post("/coverage/upload", { Origin: "https://evil.example" }, rosterForm()),
    );
    expect(response.status).toBe(403);
    expect(await db.dataImport.count()).toBe(0);
  });

  it("goes through from the platform's own pages", async () => {
    const response = await serve(upload.action, post("/coverage/upload", FROM_HERE, rosterForm()));
    expect(response.status).toBe(200);
    expect(await db.dataImport.count()).toBe(1);
  });
});

describe("other state-changing resource routes", () => {
  it("refuse a cross-site logout, keeping the session", async () => {
    const response = await serve(logout.action, post("/logout", FROM_EVIL, ""));
    expect(response.status).toBe(403);
    expect(response.headers.get("Set-Cookie")).toBeNull();
    expect(await db.session.count()).toBe(1);
  });

  it("refuse a cross-site language change, in English for an English reader", async () => {
    const request = post(
      "/language",
      { ...FROM_EVIL, Cookie: `${cookie}; th_lang=${btoa(JSON.stringify("en"))}` },
      new URLSearchParams({ lng: "en" }),
    );
    const response = await serve(language.action, request);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("another website");
  });

  it("answer JSON under /api/", async () => {
    const response = await serve(() => new Response("ran"), post("/api/views", FROM_EVIL, "{}"));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ ok: false, error: "cross-site request refused" });
  });
});
