// Voiding a training record through the person page's action, as Remix calls
// it with a real session: only in the coordinator's scope, only with a
// reason, once, audited; the record stops counting from the void day and
// reports for earlier days still count it.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { vietnamDay } from "~/coverage/dates";
import { coverageAsOf } from "~/coverage/report.server";
import { SYSTEM_ACTOR } from "~/coverage/scope.server";
import { closeSql } from "~/db/sql.server";
import { verifyCoverage } from "~/coverage/verify.server";
import * as exporter from "~/routes/coverage.export";
import * as followUp from "~/routes/coverage.follow-up";
import * as personPage from "~/routes/coverage.roster.$personId";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { byGroup, createCoordinator, importNowAs, importRosterCsv, ROSTER_HEAD } from "../helpers/coverage";

let hanoiCookie: string;
let hanoiUserId: string;
const people = { hanoi: "", daNang: "" };
const records = { hanoi: "", daNang: "" };

async function cookieFor(userId: string) {
  const token = generateSessionToken();
  await createSession(token, userId);
  return `${SESSION_COOKIE}=${token}`;
}

async function act(personId: string, fields: Record<string, string>, cookie = hanoiCookie) {
  const request = new Request(`http://localhost/coverage/roster/${personId}`, {
    method: "POST",
    headers: { Cookie: cookie },
    body: new URLSearchParams(fields),
  });
  return personPage
    .action({ request, params: { personId }, context: {} } as ActionFunctionArgs)
    .catch((thrown: unknown) => {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    });
}

async function load(personId: string) {
  const request = new Request(`http://localhost/coverage/roster/${personId}`, { headers: { Cookie: hanoiCookie } });
  return (await personPage.loader({ request, params: { personId }, context: {} } as LoaderFunctionArgs)) as Awaited<
    ReturnType<typeof personPage.loader>
  >;
}

const today = vietnamDay(new Date());
const trainedInHrWork = async () =>
  byGroup(await coverageAsOf(SYSTEM_ACTOR, today, "group", { groupCode: "HR_WORK" })).HR_WORK;
const trainedYesterday = async () =>
  byGroup(await coverageAsOf(SYSTEM_ACTOR, today - 1, "group", { groupCode: "HR_WORK" })).HR_WORK;

beforeAll(async () => {
  await seedReferenceData();
  await importRosterCsv(`${ROSTER_HEAD}
TV-HN,Người Hà Nội,,Bộ Tư pháp,Hà Nội,HR_WORK,,,
TV-DN,Người Đà Nẵng,,Bộ Tư pháp,Đà Nẵng,HR_WORK,,,
`);
  const national = await createCoordinator("national.void@example.vn");
  await importNowAs(
    national.actor,
    national.user.id,
    "TRAINING",
    `personnel_code,course_code,completed_on,mode\nTV-HN,hoi-thao,2024-01-01,in_person\nTV-DN,hoi-thao,2024-01-01,in_person\n`,
  );
  const hanoi = await createCoordinator("hn.void@example.vn", { provinceCode: "cur-ha-noi" });
  hanoiUserId = hanoi.user.id;
  hanoiCookie = await cookieFor(hanoi.user.id);
  for (const [key, code] of [
    ["hanoi", "TV-HN"],
    ["daNang", "TV-DN"],
  ] as const) {
    const person = await db.rosterPerson.findUniqueOrThrow({
      where: { personnelCode: code },
      include: { trainingRecords: true },
    });
    people[key] = person.id;
    records[key] = person.trainingRecords[0]!.id;
  }
});
afterAll(closeSql);

describe("voiding a training record", () => {
  it("is refused for a person outside the coordinator's province, by any route", async () => {
    const reason = { intent: "void", recordId: records.daNang, reason: "Không tham dự" };
    expect(((await act(people.daNang, reason)) as Response).status).toBe(404);
    // Their own person in the URL, another province's record in the form.
    expect(((await act(people.hanoi, reason)) as Response).status).toBe(404);
    const record = await db.trainingRecord.findUniqueOrThrow({ where: { id: records.daNang } });
    expect(record.voidedAt).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "training.void" } })).toBe(0);
    expect(await trainedInHrWork()).toBe("2/2");
  });

  it("needs a reason of 3 to 500 characters, and changes nothing without one", async () => {
    for (const reason of ["", "  x ", "x".repeat(501)]) {
      expect(await act(people.hanoi, { intent: "void", recordId: records.hanoi, reason })).toMatchObject({
        status: "invalid",
        intent: `void:${records.hanoi}`,
        fieldErrors: { reason: "coverage:person.voidReasonInvalid" },
      });
    }
    expect((await db.trainingRecord.findUniqueOrThrow({ where: { id: records.hanoi } })).voidedAt).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "training.void" } })).toBe(0);
  });

  it("stops the record counting from today, keeps earlier days as they stood, audits it, and happens once", async () => {
    expect(
      await act(people.hanoi, { intent: "void", recordId: records.hanoi, reason: "Danh sách hội thảo ghi nhầm người" }),
    ).toMatchObject({
      status: "ok",
      data: { outcome: "voided" },
    });
    expect(await trainedInHrWork()).toBe("1/2");
    expect(await trainedYesterday()).toBe("2/2");
    expect(await verifyCoverage(SYSTEM_ACTOR, [today - 1, today, today + 30])).toEqual([]);

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "training.void", targetId: records.hanoi } });
    expect(audit.actorId).toBe(hanoiUserId);
    expect(audit.provinceId).not.toBeNull();
    expect(JSON.parse(audit.details)).toMatchObject({
      reason: "Danh sách hội thảo ghi nhầm người",
      course: "hoi-thao",
    });

    expect(await act(people.hanoi, { intent: "void", recordId: records.hanoi, reason: "Lần nữa" })).toMatchObject({
      status: "ok",
      data: { outcome: "alreadyVoided" },
    });
    expect(await db.auditEvent.count({ where: { action: "training.void" } })).toBe(1);
    expect((await db.trainingRecord.findUniqueOrThrow({ where: { id: records.hanoi } })).voidReason).toBe(
      "Danh sách hội thảo ghi nhầm người",
    );
  });

  it("shows on the person page with where it came from, struck through with who, when and why", async () => {
    const { person } = await load(people.hanoi);
    expect(person.groups[0]!.status).toBe("notTrained");
    expect(person.records).toHaveLength(1);
    expect(person.records[0]).toMatchObject({
      courseCode: "hoi-thao",
      provenance: { source: "IMPORT", fileName: "training.csv", row: 2, importedBy: "national.void@example.vn" },
      voided: { by: "hn.void@example.vn", reason: "Danh sách hội thảo ghi nhầm người" },
    });
  });

  it("shows in the follow-up list and its export, and in the records export, only in scope", async () => {
    const get = (path: string) => new Request(`http://localhost${path}`, { headers: { Cookie: hanoiCookie } });
    const list = (await followUp.loader({
      request: get("/coverage/follow-up?group=HR_WORK"),
      params: {},
      context: {},
    } as LoaderFunctionArgs)) as Awaited<ReturnType<typeof followUp.loader>>;
    expect(list.people.map((p) => p.personnelCode)).toEqual(["TV-HN"]);
    expect(list.records[people.hanoi]?.[0]?.voided?.reason).toBe("Danh sách hội thảo ghi nhầm người");
    expect(list.records[people.daNang]).toBeUndefined();

    const followUpCsv = await (
      (await exporter.loader({
        request: get("/coverage/export?table=follow-up&group=HR_WORK&format=csv"),
        params: {},
        context: {},
      } as LoaderFunctionArgs)) as Response
    ).text();
    expect(followUpCsv).toContain("Các lần đào tạo");
    expect(followUpCsv).toMatch(
      /hoi-thao 2024-01-01: Tệp training\.csv, dòng 2, do national\.void@example\.vn nhập ngày .* — Đã hủy ngày .* bởi hn\.void@example\.vn: Danh sách hội thảo ghi nhầm người/,
    );

    const recordsCsv = await (
      (await exporter.loader({
        request: get("/coverage/export?table=records&format=csv"),
        params: {},
        context: {},
      } as LoaderFunctionArgs)) as Response
    ).text();
    const lines = recordsCsv.trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^TV-HN,Người Hà Nội,.*,hoi-thao,2024-01-01,Trực tiếp,Nhập từ tệp,"?Tệp training\.csv, dòng 2/,
    );
    expect(lines[1]).toContain("Đã hủy ngày");
    expect(recordsCsv).not.toContain("TV-DN");
    expect(await db.auditEvent.count({ where: { action: "export.personal_data", actorId: hanoiUserId } })).toBe(2);
  });

  it("is not undone by importing the same row again", async () => {
    const national = await db.user.findUniqueOrThrow({ where: { email: "national.void@example.vn" } });
    const outcome = await importNowAs(
      SYSTEM_ACTOR,
      national.id,
      "TRAINING",
      `personnel_code,course_code,completed_on,mode\nTV-HN,hoi-thao,2024-01-01,in_person\n`,
    );
    expect(outcome.counts).toMatchObject({ created: 0, unchanged: 1 });
    expect((await db.trainingRecord.findUniqueOrThrow({ where: { id: records.hanoi } })).voidedAt).not.toBeNull();
    expect(await trainedInHrWork()).toBe("1/2");
  });
});
