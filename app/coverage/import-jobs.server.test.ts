import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import {
  completeOnline,
  createCoordinator,
  importRosterCsv,
  importTrainingCsv,
  ROSTER_HEAD,
} from "../../tests/helpers/coverage";
import { parseIsoDay } from "./dates";
import { importNow } from "./import-jobs.server";
import { acceptInvite, confirmRosterMatch, findInvite, issueInvite, rosterMatchesFor } from "./link.server";
import { coverageAsOf } from "./report.server";
import { SYSTEM_ACTOR } from "./scope.server";
import { closeSql } from "~/db/sql.server";
import { verifyCoverage } from "./verify.server";

beforeAll(seedReferenceData);
afterAll(closeSql);

const importBytes = (fileName: string, bytes: Uint8Array, strict = false) =>
  importNow("ROSTER", { fileName, bytes, strict, actor: SYSTEM_ACTOR, createdById: null });

describe("file encodings", () => {
  const csv = `${ROSTER_HEAD}\nE1,Đặng Thị Hà,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`;

  it("accepts UTF-8 with a byte-order mark, as Excel saves it", async () => {
    const outcome = await importBytes("bom.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]));
    expect(outcome.status).toBe("DONE");
    expect((await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "E1" } })).fullName).toBe("Đặng Thị Hà");
  });

  it("refuses a Windows-1258 file instead of storing mojibake", async () => {
    // "Hà Nội" in Windows-1258: H, 0xE0 (à), space, N, 0xF4 (ô), 0xF2 (combining dot below), i
    const legacy = Buffer.concat([
      Buffer.from(`${ROSTER_HEAD}\nE2,Ha,,Bo,`),
      Buffer.from([0x48, 0xe0, 0x20, 0x4e, 0xf4, 0xf2, 0x69]),
      Buffer.from(",HR_WORK,,,\n"),
    ]);
    const outcome = await importBytes("legacy.csv", legacy);
    expect(outcome.failure?.reason).toBe("encodingNotUtf8");
    expect(await db.rosterPerson.count({ where: { personnelCode: "E2" } })).toBe(0);
  });

  it("refuses UTF-16 with a message that says so", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, "utf16le")]);
    expect((await importBytes("utf16.csv", utf16)).failure?.reason).toBe("encodingUtf16");
  });

  it("refuses a header with a misspelt column, naming it", async () => {
    const outcome = await importRosterCsv(
      `${ROSTER_HEAD.replace("joined_on", "joined_date")}\nE3,X,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`,
    );
    expect(outcome.failure).toEqual({ reason: "unknownColumns", params: { columns: "joined_date" } });
  });

  it("numbers rows by their line in the file, across blank lines and cells with line breaks", async () => {
    const plain = await importRosterCsv(
      `${ROSTER_HEAD}\nN1,A,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n\nN2,B,,Bộ Tư pháp,Atlantis,HR_WORK,,,\n`,
    );
    expect(plain.rejects.map((r) => r.row)).toEqual([4]);
    const multiline = await importRosterCsv(
      `${ROSTER_HEAD}\nN3,"Tên\ndài",,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n\nN4,B,,Bộ Tư pháp,Atlantis,HR_WORK,,,\n`,
    );
    expect(multiline.rejects.map((r) => r.row)).toEqual([5]);
  });

  it("reads semicolon-separated files and rows with cells past the header", async () => {
    const outcome = await importRosterCsv(
      `personnel_code;full_name;agency;province;target_groups\nE4;Mai Lan;Bộ Tư pháp;Hà Nội;"HR_WORK;INFO_MGMT"\nE5;Extra;Bộ Tư pháp;Hà Nội;HR_WORK;oops\n`,
    );
    expect(outcome.failure).toBeNull();
    expect(outcome.counts.created).toBe(1);
    expect(outcome.rejects).toEqual([{ row: 3, field: "*", reason: "extraCells", value: "" }]);
    expect(await db.groupMembership.count({ where: { person: { personnelCode: "E4" } } })).toBe(2);
  });
});

describe("XLSX", () => {
  it("reads dates, numeric codes, hyperlinked emails and formulas", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Danh sách");
    sheet.addRow([...ROSTER_HEAD.split(",")]);
    sheet.addRow([
      10045,
      "Ngô Bảo Châu",
      { text: "chau@example.vn", hyperlink: "mailto:chau@example.vn" },
      "Bộ Ngoại giao",
      "Tỉnh Bắc Giang",
      "PRESS_EXTERNAL",
      "Phóng viên",
      new Date(Date.UTC(2024, 2, 15)),
      null,
    ]);
    sheet.addRow([
      "X-2",
      { formula: '"Lý"&" Thường Kiệt"', result: "Lý Thường Kiệt" },
      null,
      "MOFA",
      "Bắc Ninh",
      "HR_WORK",
      null,
      "2024-01-01",
      "2023-01-01",
    ]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const outcome = await importBytes("roster.xlsx", bytes);
    expect(outcome.counts.created).toBe(1);
    expect(outcome.rejects.map((r) => [r.row, r.field, r.reason])).toEqual([[3, "left_on", "leftBeforeJoined"]]);
    const person = await db.rosterPerson.findUniqueOrThrow({
      where: { personnelCode: "10045" },
      include: { memberships: true, province: true, agency: true },
    });
    expect(person).toMatchObject({ email: "chau@example.vn", provinceRaw: "Tỉnh Bắc Giang", position: "Phóng viên" });
    expect(person.province?.code).toBe("cur-bac-ninh");
    expect(person.agency?.code).toBe("MOFA");
    expect(person.memberships[0]?.joinedOn?.toISOString()).toBe("2024-03-15T00:00:00.000Z");
  });

  it("refuses an old .xls file", async () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect((await importBytes("roster.xls", ole)).failure?.reason).toBe("xlsUnsupported");
  });
});

describe("updating people by personnel code", () => {
  it("replaces a person's groups and dates with what the new row says", async () => {
    await importRosterCsv(`${ROSTER_HEAD}\nU1,Phan Văn Út,,Bộ Tư pháp,Hà Nội,HR_WORK;INFO_MGMT,,,\n`);
    const outcome = await importRosterCsv(
      `${ROSTER_HEAD}\nU1,Phan Văn Út,,Bộ Tư pháp,Đà Nẵng,INFO_MGMT,,,2025-01-01\n`,
    );
    expect(outcome.counts).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const person = await db.rosterPerson.findUniqueOrThrow({
      where: { personnelCode: "U1" },
      include: { memberships: { include: { group: true } }, province: true },
    });
    expect(person.province?.code).toBe("cur-da-nang");
    expect(person.memberships.map((m) => [m.group.code, m.leftOn?.toISOString().slice(0, 10)])).toEqual([
      ["INFO_MGMT", "2025-01-01"],
    ]);
    expect(await verifyCoverage(SYSTEM_ACTOR, [parseIsoDay("2024-12-31")!, parseIsoDay("2025-01-01")!])).toEqual([]);
  });
});

describe("scoped imports", () => {
  it("rejects rows outside the coordinator's province, and people another unit owns", async () => {
    const { actor } = await createCoordinator("dieuphoi.hue@example.vn", { provinceCode: "cur-hue" });
    await importRosterCsv(`${ROSTER_HEAD}\nS1,Người Hà Nội,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`);
    const outcome = await importRosterCsv(
      `${ROSTER_HEAD}\nS2,Người Huế,,Bộ Tư pháp,Thừa Thiên Huế,HR_WORK,,,\nS3,Người Đà Nẵng,,Bộ Tư pháp,Đà Nẵng,HR_WORK,,,\nS1,Chuyển về Huế,,Bộ Tư pháp,Huế,HR_WORK,,,\n`,
      { actor },
    );
    expect(outcome.counts.created).toBe(1);
    expect(outcome.rejects.map((r) => [r.row, r.field, r.reason])).toEqual([
      [3, "province", "outOfScope"],
      [4, "personnel_code", "codeNotInScope"], // not "in another unit": that would confirm the code exists
    ]);
    expect(
      (await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "S1" }, include: { province: true } }))
        .province?.code,
    ).toBe("cur-ha-noi");
    // Training for a person outside the scope reads as an unknown code.
    const training = await importTrainingCsv(
      `personnel_code,course_code,completed_on,mode\nS1,x,2024-01-01,online\nS2,x,2024-01-01,online\n`,
      { actor },
    );
    expect(training.rejects).toEqual([{ row: 2, field: "personnel_code", reason: "unknownPerson", value: "S1" }]);
  });

  it("an agency coordinator may only import people of that agency", async () => {
    const { actor } = await createCoordinator("dieuphoi.moj@example.vn", { agencyCode: "MOJ" });
    const outcome = await importRosterCsv(
      `${ROSTER_HEAD}\nM1,Cán bộ Bộ Tư pháp,,bo tu phap,Hà Nội,HR_WORK,,,\nM2,Cán bộ khác,,Bộ Y tế,Hà Nội,HR_WORK,,,\n`,
      {
        actor,
      },
    );
    expect(outcome.counts.created).toBe(1);
    expect(outcome.rejects.map((r) => [r.row, r.field, r.reason])).toEqual([[3, "agency", "outOfScope"]]);
  });
});

describe("training records", () => {
  it("rejects bad dates, dates in the future, unknown modes and repeated rows", async () => {
    await importRosterCsv(`${ROSTER_HEAD}\nT1,Tạ Thu,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`);
    const outcome = await importTrainingCsv(
      `personnel_code,course_code,completed_on,mode\nT1,a,2024-02-30,online\nT1,a,2999-01-01,online\nT1,a,2024-01-01,webinar\nT1,A,2024-01-01,In-Person\nT1,a,2024-01-01,imported\n`,
    );
    expect(outcome.rejects.map((r) => [r.row, r.field, r.reason])).toEqual([
      [2, "completed_on", "date"],
      [3, "completed_on", "dateInFuture"],
      [4, "mode", "mode"],
      [6, "course_code", "duplicateRecord"],
    ]);
    const records = await db.trainingRecord.findMany({ where: { person: { personnelCode: "T1" } } });
    expect(records.map((r) => [r.courseCode, r.mode])).toEqual([["a", "IN_PERSON"]]);
  });
});

describe("linking roster people to accounts", () => {
  let courseCode: string;
  beforeAll(async () => {
    const convention = await db.convention.findUniqueOrThrow({ where: { code: "ICCPR" } });
    courseCode = (
      await db.course.create({
        data: {
          code: "iccpr-basics",
          conventionId: convention.id,
          language: "vi",
          title: "ICCPR",
          summary: "…",
          status: "PUBLISHED",
        },
      })
    ).code;
  });

  it("never links on import; the learner's own confirmation links and brings in courses finished before", async () => {
    const user = await db.user.create({
      data: { email: "lan@example.vn", name: "Lan", passwordHash: "x", emailVerifiedAt: new Date() },
    });
    const course = await db.course.findUniqueOrThrow({ where: { code: courseCode } });
    // 2024-03-31 at 20:00 UTC is 1 April in Vietnam.
    await db.courseCompletion.create({
      data: {
        userId: user.id,
        courseId: course.id,
        completedAt: new Date("2024-03-31T20:00:00Z"),
        certificateCode: "C-1",
      },
    });
    await importRosterCsv(`${ROSTER_HEAD}\nL1,Lan,LAN@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`);
    const imported = await db.rosterPerson.findUniqueOrThrow({
      where: { personnelCode: "L1" },
      include: { trainingRecords: true },
    });
    expect(imported.userId).toBeNull();
    expect(imported.trainingRecords).toEqual([]);
    expect(await confirmRosterMatch(user.id, imported.id)).toBe("linked");
    const person = await db.rosterPerson.findUniqueOrThrow({
      where: { personnelCode: "L1" },
      include: { trainingRecords: true },
    });
    expect(person.userId).toBe(user.id);
    expect(person.trainingRecords.map((r) => [r.courseCode, r.completedOn.toISOString().slice(0, 10), r.mode])).toEqual(
      [["iccpr-basics", "2024-04-01", "ONLINE"]],
    );
    const rows = await coverageAsOf(SYSTEM_ACTOR, parseIsoDay("2024-04-01")!, "group", { groupCode: "HR_WORK" });
    expect(rows[0]!.trained).toBeGreaterThanOrEqual(1);
    expect(await verifyCoverage(SYSTEM_ACTOR, [parseIsoDay("2024-03-31")!, parseIsoDay("2024-04-01")!])).toEqual([]);
  });

  it("records a course finished online by a linked account, once", async () => {
    const user = await db.user.findUniqueOrThrow({ where: { email: "lan@example.vn" } });
    expect(await completeOnline(user.id, "cat-basics", new Date("2025-05-05T03:00:00Z"))).toBe(true);
    expect(await completeOnline(user.id, "cat-basics", new Date("2025-05-05T04:00:00Z"))).toBe(false);
    const records = await db.trainingRecord.findMany({
      where: { courseCode: "cat-basics" },
      include: { completion: true },
    });
    expect(records.map((r) => [r.source, r.completedOn.toISOString().slice(0, 10), r.completion?.userId])).toEqual([
      ["ONLINE", "2025-05-05", user.id],
    ]);
    const other = await db.user.create({ data: { email: "nobody@example.vn", name: "N", passwordHash: "x" } });
    // Someone on no roster gets a certificate and no training record.
    expect(await completeOnline(other.id, "cat-basics", new Date())).toBe(true);
    expect(await db.trainingRecord.count({ where: { courseCode: "cat-basics" } })).toBe(1);
    expect(await verifyCoverage(SYSTEM_ACTOR, [parseIsoDay("2025-05-05")!])).toEqual([]);
  });

  it("offers a new account the roster entry with its email only once the email is verified", async () => {
    await importRosterCsv(`${ROSTER_HEAD}\nL2,Minh,minh@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`);
    const user = await db.user.create({ data: { email: "minh@example.vn", name: "Minh", passwordHash: "x" } });
    const person = await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "L2" } });
    expect(await rosterMatchesFor(user.id)).toEqual([]);
    expect(await confirmRosterMatch(user.id, person.id)).toBe("unverified");
    await db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
    expect((await rosterMatchesFor(user.id)).map((m) => m.fullName)).toEqual(["Minh"]);
    expect(await confirmRosterMatch(user.id, person.id)).toBe("linked");
    expect((await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "L2" } })).userId).toBe(user.id);
    expect(await rosterMatchesFor(user.id)).toEqual([]);
  });

  it("links through a personal invitation, once, and only in the coordinator's scope", async () => {
    await importRosterCsv(`${ROSTER_HEAD}\nL3,Quang,,Bộ Tư pháp,Huế,HR_WORK,,,\n`);
    const person = await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "L3" } });
    const { actor: hanoi } = await createCoordinator("dieuphoi.hn2@example.vn", { provinceCode: "cur-ha-noi" });
    expect(await issueInvite(hanoi, person.id)).toBeNull();
    const token = (await issueInvite(SYSTEM_ACTOR, person.id))!;
    expect(await findInvite(token)).toMatchObject({ fullName: "Quang", linked: false });
    const user = await db.user.create({ data: { email: "quang.other@example.vn", name: "Quang", passwordHash: "x" } });
    expect(await acceptInvite(token, user.id)).toBe("unverified");
    await db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
    const intruder = await db.user.findUniqueOrThrow({ where: { email: "lan@example.vn" } });
    expect(await acceptInvite(token, intruder.id)).toBe("account_taken");
    expect(await acceptInvite(token, user.id)).toBe("linked");
    expect(await acceptInvite(token, user.id)).toBe("unknown"); // the token is spent
    expect(await findInvite("nope")).toBeNull();
  });
});
