// Who reads which audit entries, through the domain and the routes (with a
// real session cookie, as Remix calls them), and the CSV export.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { closeSql } from "~/db/sql.server";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { createCoordinator, importNowAs, provinceId, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { recordAudit } from "~/audit/audit.server";
import { auditWhere, listAudit, parseAuditQuery } from "./audit-trail.server";

import * as auditPage from "~/routes/audit._index";
import * as auditExport from "~/routes/audit.export";
import * as coverageExport from "~/routes/coverage.export";

let hanoi: Awaited<ReturnType<typeof createCoordinator>>;
let national: Awaited<ReturnType<typeof createCoordinator>>;
let hanoiCookie = "";
let adminCookie = "";
let hanoiId = "";
let daNangId = "";

async function cookieFor(userId: string) {
  const token = generateSessionToken();
  await createSession(token, userId);
  return `${SESSION_COOKIE}=${token}`;
}

async function call(loader: (args: LoaderFunctionArgs) => unknown, path: string, cookie: string) {
  const result = await loader({
    request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }),
    params: {},
    context: {},
  });
  if (result instanceof Response) return { status: result.status, text: await result.text(), headers: result.headers };
  return { status: 200, text: JSON.stringify(result), headers: new Headers() };
}

beforeAll(async () => {
  await seedReferenceData();
  hanoiId = await provinceId("cur-ha-noi");
  daNangId = await provinceId("cur-da-nang");
  hanoi = await createCoordinator("hn.audit@example.vn", { provinceCode: "cur-ha-noi" });
  national = await createCoordinator("national.audit@example.vn");
  const admin = await db.user.create({
    data: { email: "admin.audit@example.vn", name: "A", passwordHash: "x", role: "ADMIN" },
  });
  hanoiCookie = await cookieFor(hanoi.user.id);
  adminCookie = await cookieFor(admin.id);
  // A Hà Nội import goes through the import runner, which records it.
  await importNowAs(
    hanoi.actor,
    hanoi.user.id,
    "ROSTER",
    `${ROSTER_HEAD}\nHN-1,Người Hà Nội,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`,
  );
  await recordAudit({
    actor: { id: null, email: "cli" },
    action: "import.training",
    target: { type: "import", id: "DN-SECRET" },
    scope: { provinceId: daNangId },
  });
  await recordAudit({
    actor: { id: admin.id, email: admin.email },
    action: "user.role",
    target: { type: "user", id: '=HYPERLINK("x")' },
  });
  await recordAudit({
    actor: { id: admin.id, email: admin.email },
    action: "rule.withdraw",
    target: { type: "rule", id: "r1" },
    details: { reason: "thử" },
  });
});
afterAll(closeSql);

describe("scope", () => {
  it("records the finished import with its file and counts, in the importer's province", async () => {
    const [entry] = await db.auditEvent.findMany({ where: { action: "import.roster" } });
    expect(entry).toMatchObject({ actorId: hanoi.user.id, actorEmail: "hn.audit@example.vn", provinceId: hanoiId });
    expect(JSON.parse(entry!.details)).toMatchObject({
      fileName: "roster.csv",
      status: "DONE",
      accepted: 1,
      created: 1,
    });
  });

  it("a provincial coordinator sees only their province's entries", async () => {
    const { entries } = await listAudit(hanoi.actor, parseAuditQuery(new URL("http://x/audit")), null);
    expect(entries.map((e) => e.action)).toEqual(["import.roster"]);
    const page = await call(auditPage.loader, "/audit?action=import.training", hanoiCookie);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("DN-SECRET");
    expect(JSON.parse(page.text).total).toBe(0);
  });

  it("a national coordinator sees coverage entries, not account administration; an admin sees all", async () => {
    const { entries } = await listAudit(national.actor, parseAuditQuery(new URL("http://x/audit")), null);
    expect(entries.map((e) => e.action).sort()).toEqual(["import.roster", "import.training", "rule.withdraw"]);
    const all = await db.auditEvent.count({
      where: auditWhere({ kind: "system" }, parseAuditQuery(new URL("http://x/audit"))),
    });
    expect(all).toBe(4);
  });

  it("filters by action, actor, target and dates, newest first", async () => {
    const q = (search: string) =>
      listAudit({ kind: "system" }, parseAuditQuery(new URL(`http://x/audit?${search}`)), null);
    expect((await q("actor=HN.AUDIT")).entries.map((e) => e.action)).toEqual(["import.roster"]);
    expect((await q("target=DN-SECRET")).total).toBe(1);
    expect((await q("from=2000-01-01&to=2000-01-31")).total).toBe(0);
    const { entries } = await q("");
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
  });
});

describe("the CSV export", () => {
  it("gives the admin's entries as CSV, formulas neutralised, and records the export", async () => {
    const response = await call(auditExport.loader, "/audit/export", adminCookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/csv");
    expect(response.text).toContain("'=HYPERLINK");
    expect(response.text).toContain("DN-SECRET");
    const [entry] = await db.auditEvent.findMany({ where: { action: "export.personal_data", targetId: "audit" } });
    expect(JSON.parse(entry!.details)).toMatchObject({ table: "audit", format: "csv", rows: 4 });
  });

  it("gives a provincial coordinator only their entries", async () => {
    const response = await call(auditExport.loader, "/audit/export", hanoiCookie);
    expect(response.text).not.toContain("DN-SECRET");
    expect(response.text).toContain("import.roster");
    expect(
      await db.auditEvent.count({
        where: { action: "export.personal_data", actorId: hanoi.user.id, provinceId: hanoiId },
      }),
    ).toBe(1);
  });

  it("records downloads of the follow-up list and the roster", async () => {
    const followUp = await call(
      coverageExport.loader,
      "/coverage/export?table=follow-up&format=csv&group=HR_WORK",
      hanoiCookie,
    );
    expect(followUp.text.split("\r\n")[0]).toContain("Nhắc gần nhất,Tình trạng thư nhắc");
    await call(coverageExport.loader, "/coverage/export?table=roster&format=xlsx", hanoiCookie);
    await call(coverageExport.loader, "/coverage/export?table=groups&format=csv", hanoiCookie);
    const tables = (
      await db.auditEvent.findMany({
        where: { action: "export.personal_data", actorId: hanoi.user.id },
        orderBy: { id: "asc" },
      })
    ).map((e) => JSON.parse(e.details).table);
    expect(tables).toEqual(["audit", "follow-up", "roster"]);
  });
});
