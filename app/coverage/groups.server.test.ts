// Withdrawing a rule version: it leaves every report (the summary table and
// the independent computation of verify.server agree again), its facts go,
// the audit trail says who and why, and a group always keeps one version.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { byGroup, importRosterCsv, importTrainingCsv, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { parseIsoDay } from "./dates";
import { loadRules } from "./facts.server";
import { addRuleVersion, createGroup, withdrawRuleVersion, WithdrawFormSchema } from "./groups.server";
import { coverageAsOf } from "./report.server";
import { ruleChangeDays } from "./rule";
import { SYSTEM_ACTOR } from "./scope.server";
import { closeSql, getSql } from "~/db/sql.server";
import { rawCoverage, verifyCoverage } from "./verify.server";

const d = (iso: string) => parseIsoDay(iso)!;
const DAYS = [d("2024-06-30"), d("2024-12-31"), d("2025-06-30")];
let admin: { id: string; email: string };

beforeAll(async () => {
  await seedReferenceData();
  const user = await db.user.create({
    data: { email: "admin.withdraw@example.vn", name: "Quản trị", passwordHash: "x", role: "ADMIN" },
  });
  admin = { id: user.id, email: user.email };
  await importRosterCsv(`${ROSTER_HEAD}
W1,Một,,Bộ Tư pháp,Hà Nội,HR_WORK,,,
W2,Hai,,Bộ Tư pháp,Hà Nội,HR_WORK,,,
W3,Ba,,Bộ Tư pháp,Huế,HR_WORK,,,
`);
  await importTrainingCsv(`personnel_code,course_code,completed_on,mode
W1,a,2024-02-01,in_person
W1,b,2024-03-01,in_person
W2,a,2024-02-01,in_person
W3,c,2024-04-01,in_person
`);
});
afterAll(closeSql);

describe("withdrawing a rule version", () => {
  let testRuleId = "";

  it("a test version changes the numbers from its date", async () => {
    expect(byGroup(await coverageAsOf(SYSTEM_ACTOR, d("2024-12-31"), "group", { groupCode: "HR_WORK" }))).toEqual({
      HR_WORK: "3/3",
    });
    const rule = await addRuleVersion(
      "HR_WORK",
      { kind: "MIN_COUNT", minCount: 2, courseCodes: [], schemeStart: d("2023-01-01"), validFrom: d("2024-07-01") },
      admin,
    );
    testRuleId = rule!.id;
    expect(byGroup(await coverageAsOf(SYSTEM_ACTOR, d("2024-12-31"), "group", { groupCode: "HR_WORK" }))).toEqual({
      HR_WORK: "1/3",
    });
    expect(await verifyCoverage(SYSTEM_ACTOR, DAYS)).toEqual([]);
    expect(await db.auditEvent.count({ where: { action: "rule.add", targetId: testRuleId } })).toBe(1);
  });

  it("asks for a reason of 3 to 500 characters", () => {
    expect(WithdrawFormSchema.safeParse({ ruleId: "abc", reason: " x " }).success).toBe(false);
    expect(WithdrawFormSchema.safeParse({ ruleId: "abc", reason: "x".repeat(501) }).success).toBe(false);
    expect(WithdrawFormSchema.safeParse({ ruleId: "abc", reason: "Phiên bản thử nghiệm" }).success).toBe(true);
  });

  it("takes the version out of every report, the facts and the independent computation", async () => {
    expect(await withdrawRuleVersion(testRuleId, "Phiên bản thử nghiệm, nhập nhầm", admin)).toBe("withdrawn");
    const rule = await db.targetGroupRule.findUniqueOrThrow({ where: { id: testRuleId } });
    expect(rule.withdrawnAt).not.toBeNull();
    expect(rule.withdrawnById).toBe(admin.id);
    expect(rule.withdrawnReason).toBe("Phiên bản thử nghiệm, nhập nhầm");
    expect(await db.coverageFact.count({ where: { ruleId: testRuleId } })).toBe(0);
    expect(byGroup(await coverageAsOf(SYSTEM_ACTOR, d("2024-12-31"), "group", { groupCode: "HR_WORK" }))).toEqual({
      HR_WORK: "3/3",
    });
    // The same answer the slow way (npm run report -- verify), on every breakdown.
    expect(await verifyCoverage(SYSTEM_ACTOR, DAYS)).toEqual([]);
    expect(
      (await rawCoverage(SYSTEM_ACTOR, d("2024-12-31"), "group")).find((r) => r.group === "HR_WORK"),
    ).toMatchObject({ trained: 3, headcount: 3 });
    const rules = (await loadRules(getSql())).get(rule.groupId)!;
    expect(rules.map((r) => r.id)).not.toContain(testRuleId);
  });

  it("records who withdrew it and why", async () => {
    const [entry] = await db.auditEvent.findMany({ where: { action: "rule.withdraw", targetId: testRuleId } });
    expect(entry).toMatchObject({ actorId: admin.id, actorEmail: admin.email, targetType: "rule" });
    expect(JSON.parse(entry!.details)).toMatchObject({
      group: "HR_WORK",
      validFrom: "2024-07-01",
      reason: "Phiên bản thử nghiệm, nhập nhầm",
    });
  });

  it("keeps later rewrites of facts away from the withdrawn version", async () => {
    await importTrainingCsv(`personnel_code,course_code,completed_on,mode\nW3,d,2024-05-01,in_person\n`);
    expect(await db.coverageFact.count({ where: { ruleId: testRuleId } })).toBe(0);
    expect(await verifyCoverage(SYSTEM_ACTOR, DAYS)).toEqual([]);
  });

  it("refuses to withdraw twice, or the last version of a group", async () => {
    expect(await withdrawRuleVersion(testRuleId, "encore", admin)).toBe("alreadyWithdrawn");
    const [only] = await db.targetGroupRule.findMany({ where: { group: { code: "HR_WORK" }, withdrawnAt: null } });
    expect(await withdrawRuleVersion(only!.id, "thử thu hồi bản cuối", admin)).toBe("lastVersion");
    expect((await db.targetGroupRule.findUniqueOrThrow({ where: { id: only!.id } })).withdrawnAt).toBeNull();
    expect(await withdrawRuleVersion("no-such-rule", "không có", admin)).toBe("notFound");
    expect(byGroup(await coverageAsOf(SYSTEM_ACTOR, d("2024-12-31"), "group", { groupCode: "HR_WORK" }))).toEqual({
      HR_WORK: "3/3",
    });
  });
});

describe("group changes are audited", () => {
  it("records a new group", async () => {
    expect(
      await createGroup(
        {
          code: "NEW_GROUP",
          nameVi: "Nhóm mới",
          nameEn: "New group",
          targetPercent: 50,
          deadline: d("2028-12-31"),
          schemeStart: d("2023-01-01"),
        },
        admin,
      ),
    ).toBe("created");
    expect(await db.auditEvent.count({ where: { action: "group.create", targetId: "NEW_GROUP" } })).toBe(1);
  });
});

describe("the chart's rule changes", () => {
  it("are the dates later versions take over, within the range", () => {
    const rules = [
      { validFromDay: d("2023-01-01"), createdAt: 0 },
      { validFromDay: d("2024-07-01"), createdAt: 1 },
      { validFromDay: d("2026-01-01"), createdAt: 2 },
    ];
    expect(ruleChangeDays(rules, d("2023-01-01"), d("2025-12-31"))).toEqual([d("2024-07-01")]);
    expect(ruleChangeDays(rules.slice(0, 1), d("2023-01-01"), d("2025-12-31"))).toEqual([]);
  });
});
