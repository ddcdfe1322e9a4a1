import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { closeSql } from "~/db/sql.server";
import { completeOnline, importRosterCsv, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { createLearner } from "../../tests/helpers/fixtures";
import { parseIsoDay } from "./dates";
import { addRuleVersion, GroupFormSchema, updateGroup } from "./groups.server";
import { requirementsForLearner } from "./requirements.server";

beforeAll(seedReferenceData);
afterAll(closeSql);

const admin = { id: "system", email: "admin@example.vn" };

async function linkedLearner(personnelCode: string) {
  const learner = await createLearner();
  await db.rosterPerson.update({ where: { personnelCode }, data: { userId: learner.id } });
  return learner;
}

describe("what must I take", () => {
  it("shows each of the learner's own groups: the rule, what counts, what is missing, the deadline", async () => {
    await importRosterCsv(
      `${ROSTER_HEAD}\nREQ-1,Phạm Thị Lan,lan@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK;INFO_MGMT,,,\nREQ-2,Đỗ Văn Minh,minh@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`,
    );
    const lan = await linkedLearner("REQ-1");
    const minh = await linkedLearner("REQ-2");
    const unlinked = await createLearner();
    expect(await requirementsForLearner(unlinked.id)).toBeNull();

    const from = parseIsoDay("2024-01-01")!;
    await addRuleVersion(
      "INFO_MGMT",
      {
        kind: "REQUIRED_COURSES",
        minCount: null,
        courseCodes: ["req-course-a", "req-course-b"],
        schemeStart: parseIsoDay("2023-01-01")!,
        validFrom: from,
      },
      null,
    );

    const before = await requirementsForLearner(lan.id);
    expect(before?.map((r) => [r.group.code, r.kind, r.needed, r.done, r.deadline])).toEqual([
      ["HR_WORK", "ANY_TRAINING", 1, false, "2028-12-31"],
      ["INFO_MGMT", "REQUIRED_COURSES", 2, false, "2028-12-31"],
    ]);
    expect(before?.[1]?.missing.map((c) => c.code)).toEqual(["req-course-a", "req-course-b"]);

    await completeOnline(lan.id, "req-course-a", new Date("2025-03-10T03:00:00Z"));
    const after = await requirementsForLearner(lan.id);
    expect(after?.[0]).toMatchObject({
      done: true,
      counted: [{ code: "req-course-a", title: "req-course-a", published: true }],
      missing: [],
    });
    expect(after?.[1]).toMatchObject({
      done: false,
      counted: [{ code: "req-course-a" }],
      missing: [{ code: "req-course-b", title: null, published: false }],
    });

    // Another learner's records are never theirs: Minh, in the same group, has done nothing.
    expect((await requirementsForLearner(minh.id))?.map((r) => [r.group.code, r.done, r.counted.length])).toEqual([
      ["HR_WORK", false, 0],
    ]);

    // An admin's new deadline is the one shown.
    const group = await db.targetGroup.findUniqueOrThrow({ where: { code: "HR_WORK" } });
    const form = GroupFormSchema.parse({
      nameVi: group.nameVi,
      nameEn: group.nameEn,
      targetPercent: String(group.targetPercent),
      deadline: "2027-06-30",
    });
    await updateGroup("HR_WORK", form, admin);
    expect((await requirementsForLearner(lan.id))?.[0]?.deadline).toBe("2027-06-30");
  });

  it("leaves out a group the person has left", async () => {
    await importRosterCsv(
      `${ROSTER_HEAD}\nREQ-3,Vũ Thị Thu,thu@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,2024-01-01,2024-06-01\n`,
    );
    const thu = await linkedLearner("REQ-3");
    expect(await requirementsForLearner(thu.id)).toEqual([]);
  });
});
