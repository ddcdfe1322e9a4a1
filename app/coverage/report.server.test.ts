// The hand-computed fixture: a small roster and its trainings, with the
// answers worked out by hand below each case. Runs on SQLite, and on
// PostgreSQL with TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import {
  byGroup,
  byUnit,
  createCoordinator,
  importRosterCsv,
  importTrainingCsv,
  ROSTER_HEAD,
} from "../../tests/helpers/coverage";
import { parseIsoDay } from "./dates";
import { coverageAsOf, monthlySeries, untrainedPeople } from "./report.server";
import { SYSTEM_ACTOR } from "./scope.server";
import { closeSql } from "~/db/sql.server";
import { verifyCoverage } from "./verify.server";

const d = (iso: string) => parseIsoDay(iso)!;

// Row numbers are the spreadsheet's: the header is row 1.
const ROSTER = `${ROSTER_HEAD}
A1,Nguyễn Văn An,an@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK;INFO_MGMT,Chuyên viên,,
A2,Trần Thị Bình,,Bộ Tư pháp,Hà Giang,HR_WORK,,,
A3,Lê Văn Cường,,Sở Thông tin và Truyền thông Hà Nội,TP. Hà Nội,INFO_MGMT,,2024-06-01,
A4,Phạm Thị Dung,,Báo Nhân Dân,ha noi,PRESS_EXTERNAL,,,2024-09-30
A5,Hoàng Văn Em,,Hội Liên hiệp Phụ nữ Việt Nam,Hà Nội,SOCIOPOL_KEY,,,
A6,Vũ Thị Giang,,Hội Liên hiệp Phụ nữ Việt Nam,Thừa Thiên Huế,SOCIOPOL_KEY,,,
A1,Trùng Mã,,Bộ Tư pháp,Hà Nội,HR_WORK,,,
B1,Sai Tỉnh,,Bộ Tư pháp,Atlantis,HR_WORK,,,
B2,Sai Nhóm,,Bộ Tư pháp,Hà Nội,NOPE,,,
B3,Sai Ngày,,Bộ Tư pháp,Hà Nội,HR_WORK,,2024-13-01,
B4,Rời Trước,,Bộ Tư pháp,Hà Nội,HR_WORK,,2024-05-01,2024-04-01
,Thiếu Mã,,Bộ Tư pháp,Hà Nội,HR_WORK,,,
`;

const TRAINING = `personnel_code,course_code,completed_on,mode
A1,iccpr-intro,2024-02-10,online
A2,old-workshop,2022-11-20,in_person
A3,hn-workshop-2024,2024-03-01,in_person
A4,press-briefing,2024-01-15,in_person
A5,cat-basics,2025-02-01,imported
A6,sociopol-conference,2024-05-05,in_person
ZZ,iccpr-intro,2024-01-01,online
`;

beforeAll(async () => {
  await seedReferenceData();
});
afterAll(closeSql);

describe("a bad row in --strict mode", () => {
  it("refuses the whole file and changes nothing", async () => {
    const outcome = await importRosterCsv(ROSTER, { strict: true });
    expect(outcome.status).toBe("FAILED");
    expect(outcome.failure?.reason).toBe("strictRefused");
    expect(outcome.rejected).toBe(6);
    expect(await db.rosterPerson.count()).toBe(0);
    expect(await db.groupMembership.count()).toBe(0);
    expect(await db.agency.count({ where: { kind: "OTHER" } })).toBe(0);
  });
});

describe("the roster import", () => {
  it("keeps valid rows and lists every rejected row with its field and reason", async () => {
    const outcome = await importRosterCsv(ROSTER);
    expect(outcome.status).toBe("DONE");
    expect(outcome.counts).toEqual({ created: 6, updated: 0, unchanged: 0 });
    expect(outcome.rejects.map((r) => [r.row, r.field, r.reason])).toEqual([
      [8, "personnel_code", "duplicateCode"],
      [9, "province", "unknownProvince"],
      [10, "target_groups", "unknownGroup"],
      [11, "joined_on", "date"],
      [12, "left_on", "leftBeforeJoined"],
      [13, "personnel_code", "required"],
    ]);
    // The first occurrence of a repeated code is the one kept.
    expect((await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "A1" } })).fullName).toBe(
      "Nguyễn Văn An",
    );
  });

  it("maps a former province to its current unit and keeps what the file said", async () => {
    const a2 = await db.rosterPerson.findUniqueOrThrow({
      where: { personnelCode: "A2" },
      include: { province: true, formerProvince: true },
    });
    expect(a2.province?.code).toBe("cur-tuyen-quang");
    expect(a2.formerProvince?.code).toBe("old-ha-giang");
    expect(a2.provinceRaw).toBe("Hà Giang");
  });

  it("changes nothing when the same file comes again", async () => {
    const before = await db.rosterPerson.findMany({ orderBy: { id: "asc" } });
    const outcome = await importRosterCsv(ROSTER);
    expect(outcome.counts).toEqual({ created: 0, updated: 0, unchanged: 6 });
    expect(await db.rosterPerson.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  it("imports trainings, rejecting unknown personnel codes", async () => {
    const outcome = await importTrainingCsv(TRAINING);
    expect(outcome.counts.created).toBe(6);
    expect(outcome.rejects).toEqual([{ row: 8, field: "personnel_code", reason: "unknownPerson", value: "ZZ" }]);
    expect((await importTrainingCsv(TRAINING)).counts).toEqual({ created: 0, updated: 0, unchanged: 6 });
  });
});

describe("coverage on a date, worked out by hand", () => {
  it("on 2024-12-31", async () => {
    const rows = await coverageAsOf(SYSTEM_ACTOR, d("2024-12-31"), "group");
    // HR_WORK: A1 trained 2024-02-10; A2's only training (2022) is before the scheme start.
    // INFO_MGMT: A1, and A3 who joined on 2024-06-01 after training on 2024-03-01.
    // PRESS_EXTERNAL: A4 left on 2024-09-30, so nobody.
    // SOCIOPOL_KEY: A6 trained 2024-05-05; A5 trains only on 2025-02-01, after the date.
    expect(byGroup(rows)).toEqual({ HR_WORK: "1/2", INFO_MGMT: "2/2", PRESS_EXTERNAL: "0/0", SOCIOPOL_KEY: "1/2" });
    const sociopol = rows.find((r) => r.group.code === "SOCIOPOL_KEY")!;
    // 70% of 2 is 1.4 people: 2 must be trained, 1 is.
    expect(sociopol).toMatchObject({ percent: 50, targetPercent: 70, gap: 1 });
    expect(rows.find((r) => r.group.code === "INFO_MGMT")).toMatchObject({ percent: 100, gap: 0, status: "met" });
    expect(rows.find((r) => r.group.code === "HR_WORK")).toMatchObject({ percent: 50, gap: 1 });
  });

  it("on 2024-05-31, before A3 joined and before A4 left", async () => {
    const rows = await coverageAsOf(SYSTEM_ACTOR, d("2024-05-31"), "group");
    expect(byGroup(rows)).toEqual({ HR_WORK: "1/2", INFO_MGMT: "1/1", PRESS_EXTERNAL: "1/1", SOCIOPOL_KEY: "1/2" });
  });

  it("on 2025-03-01, after A5's training", async () => {
    expect(byGroup(await coverageAsOf(SYSTEM_ACTOR, d("2025-03-01"), "group")).SOCIOPOL_KEY).toBe("2/2");
  });

  it("by current province: a person in two groups counts once in each", async () => {
    const rows = await coverageAsOf(SYSTEM_ACTOR, d("2024-12-31"), "province");
    expect(byUnit(rows)).toEqual({
      "HR_WORK Hà Nội": "1/1",
      "HR_WORK Tuyên Quang": "0/1",
      "INFO_MGMT Hà Nội": "2/2",
      "SOCIOPOL_KEY Hà Nội": "0/1",
      "SOCIOPOL_KEY Huế": "1/1",
    });
  });

  it("by former province", async () => {
    const rows = await coverageAsOf(SYSTEM_ACTOR, d("2024-12-31"), "former_province", { groupCode: "HR_WORK" });
    expect(byUnit(rows)).toEqual({ "HR_WORK Hà Nội": "1/1", "HR_WORK Hà Giang": "0/1" });
  });

  it("by agency, new agencies created from the roster", async () => {
    const rows = await coverageAsOf(SYSTEM_ACTOR, d("2024-12-31"), "agency");
    expect(byUnit(rows)).toEqual({
      "HR_WORK Bộ Tư pháp": "1/2",
      "INFO_MGMT Bộ Tư pháp": "1/1",
      "INFO_MGMT Sở Thông tin và Truyền thông Hà Nội": "1/1",
      "SOCIOPOL_KEY Hội Liên hiệp Phụ nữ Việt Nam": "1/2",
    });
    expect(await db.agency.count({ where: { code: "ag-so-thong-tin-va-truyen-thong-ha-noi" } })).toBe(1);
  });

  it("lists the people still to train", async () => {
    const { total, people } = await untrainedPeople(SYSTEM_ACTOR, d("2024-12-31"), { groupCode: "SOCIOPOL_KEY" }, null);
    expect(total).toBe(1);
    expect(people.map((p) => p.personnelCode)).toEqual(["A5"]);
    const hr = await untrainedPeople(SYSTEM_ACTOR, d("2024-12-31"), { groupCode: "HR_WORK" }, { limit: 10, offset: 0 });
    expect(hr.people.map((p) => [p.personnelCode, p.province])).toEqual([["A2", "Tuyên Quang"]]);
  });

  it("draws the months from the scheme start", async () => {
    const points = await monthlySeries(SYSTEM_ACTOR, d("2024-06-15"), "INFO_MGMT");
    expect(points[0]?.label).toBe("2023-01");
    expect(points).toHaveLength(17 + 1); // January 2023 – May 2024, then the day itself
    const may = points.find((p) => p.label === "2024-05")!;
    expect([may.trained, may.headcount]).toEqual([1, 1]); // A3 had not joined
    const last = points[points.length - 1]!;
    expect([last.label, last.trained, last.headcount]).toEqual(["2024-06-15", 2, 2]);
    const jan24 = points.find((p) => p.label === "2024-01")!;
    expect([jan24.trained, jan24.headcount]).toEqual([0, 1]); // A1 trained in February
  });

  it("matches the computation from raw rows", async () => {
    const days = ["2022-12-31", "2023-01-01", "2024-02-10", "2024-05-31", "2024-09-30", "2024-12-31", "2025-03-01"].map(
      d,
    );
    expect(await verifyCoverage(SYSTEM_ACTOR, days)).toEqual([]);
  });
});

describe("a provincial coordinator", () => {
  it("sees only their province", async () => {
    const { actor } = await createCoordinator("dieuphoi.hn@example.vn", { provinceCode: "cur-ha-noi" });
    const rows = await coverageAsOf(actor, d("2024-12-31"), "group");
    expect(byGroup(rows)).toEqual({ HR_WORK: "1/1", INFO_MGMT: "2/2", PRESS_EXTERNAL: "0/0", SOCIOPOL_KEY: "0/1" });
    const tuyenQuang = (await db.province.findUniqueOrThrow({ where: { code: "cur-tuyen-quang" } })).id;
    // Asking for another province by filter gives nothing, not that province.
    expect(await coverageAsOf(actor, d("2024-12-31"), "province", { provinceId: tuyenQuang })).toEqual([]);
    expect(
      (await untrainedPeople(actor, d("2024-12-31"), { groupCode: "HR_WORK", provinceId: tuyenQuang }, null)).total,
    ).toBe(0);
    expect(await verifyCoverage(actor, [d("2024-12-31")])).toEqual([]);
  });
});
