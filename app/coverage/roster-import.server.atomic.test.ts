import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { closeSql, getSql } from "~/db/sql.server";
import { createCoordinator, importRosterCsv, provinceId, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { progressKey, RejectList, type ImportContext, type ImportProgress } from "./imports.server";
import { importNow } from "./import-jobs.server";
import { SYSTEM_ACTOR } from "./scope.server";
import { rosterImporter } from "./roster-import.server";
import { ImportFileError, type TableRow } from "./table-file.server";
import { vietnamDay } from "./dates";

// What a strict import promises, and what the write does when the roster it
// was checked against has changed (decision 160). PostgreSQL writes a whole
// import in one transaction; SQLite in slices after every row is checked.

beforeAll(seedReferenceData);
afterAll(closeSql);

const postgres = getSql().dialect === "postgresql";

function roster(prefix: string, rows: number, last = "") {
  const lines = [ROSTER_HEAD];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}${i},Người ${i},,Bộ Tư pháp,Hà Nội,HR_WORK,,,`);
  if (last) lines.push(last);
  return `${lines.join("\n")}\n`;
}

const count = (prefix: string) => db.rosterPerson.count({ where: { personnelCode: { startsWith: prefix } } });

describe("a strict import", () => {
  it("with a bad last row writes nothing, more rows than a slice before it", async () => {
    const outcome = await importRosterCsv(roster("SL", 4_500, "SLBAD,Người cuối,,Bộ Tư pháp,Hà Nội,NO_SUCH_GROUP,,,"), {
      strict: true,
    });
    expect(outcome.status).toBe("FAILED");
    expect(outcome.failure).toEqual({ reason: "strictRefused", params: { rejected: 1 } });
    expect(await count("SL")).toBe(0);
    expect(await db.groupMembership.count({ where: { person: { personnelCode: { startsWith: "SL" } } } })).toBe(0);
  });
});

describe.runIf(postgres)("on PostgreSQL the import is one transaction", () => {
  it("a row the database refuses in the last slice leaves nothing of the earlier slices", async () => {
    // PostgreSQL text cannot hold U+0000: the last slice's COPY fails, after 2,000-row slices were written.
    const outcome = await importRosterCsv(
      roster("PGT", 6_000, 'PGTNUL,"Người\u0000cuối",,Bộ Tư pháp,Hà Nội,HR_WORK,,,'),
    );
    expect(outcome.status).toBe("FAILED");
    expect(await count("PGT")).toBe(0);
    expect(await db.groupMembership.count({ where: { person: { personnelCode: { startsWith: "PGT" } } } })).toBe(0);
  });
});

describe("a roster changed between the check and the write", () => {
  async function checked(csv: string, actor: ImportContext["actor"]) {
    const ctx: ImportContext = {
      importId: "atomic-test",
      actor,
      sql: getSql(),
      today: vietnamDay(new Date()),
      checked: async () => {},
    };
    const rows: TableRow[] = csv
      .trim()
      .split("\n")
      .slice(1)
      .map((line, index) => {
        const [personnel_code, full_name, email, agency, province, target_groups] = line.split(",");
        return {
          row: index + 2,
          cells: {
            personnel_code,
            full_name,
            email,
            agency,
            province,
            target_groups,
            position: "",
            joined_on: "",
            left_on: "",
          },
        } as TableRow;
      });
    const rejects = new RejectList(async () => {});
    const accepted = await rosterImporter.check(
      (async function* () {
        yield rows;
      })(),
      ctx,
      rejects,
    );
    expect(rejects.count).toBe(0);
    return { ctx, accepted };
  }

  it("stops with rosterChanged instead of writing a person moved out of the importer's scope", async () => {
    const { actor } = await createCoordinator("atomic-hn@example.test", { provinceCode: "cur-ha-noi" });
    await importRosterCsv(roster("MOV", 1));
    // MOV0 is last: on PostgreSQL the earlier rows are in earlier slices of the same transaction.
    const csv = roster("MVN", 2_500, "MOV0,Tên mới,,Bộ Tư pháp,Hà Nội,HR_WORK");
    const { ctx, accepted } = await checked(csv, actor);
    // Meanwhile someone moves MOV0 to another province, out of the coordinator's scope.
    const elsewhere = await provinceId("cur-da-nang");
    await db.rosterPerson.update({ where: { personnelCode: "MOV0" }, data: { provinceId: elsewhere } });

    const error = await rosterImporter.write(accepted, ctx, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as ImportFileError).reason).toBe("rosterChanged");
    const moved = await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "MOV0" } });
    expect(moved.provinceId).toBe(elsewhere);
    expect(moved.fullName).toBe("Người 0");
    // PostgreSQL: none of the import. SQLite: the slices before the change's are kept (decision 160).
    if (postgres) expect(await count("MVN")).toBe(0);
    else expect(await count("MVN")).toBeLessThan(2_500);
  });

  it("stops with rosterChanged when a code it would create appeared meanwhile", async () => {
    const { ctx, accepted } = await checked(roster("NEWC", 3), { kind: "system" });
    await importRosterCsv(roster("NEWC", 1).replace("Người 0", "Người khác"));
    const error = await rosterImporter.write(accepted, ctx, () => {}).catch((e: unknown) => e);
    expect((error as ImportFileError).reason).toBe("rosterChanged");
    expect((await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "NEWC0" } })).fullName).toBe(
      "Người khác",
    );
    expect(await count("NEWC")).toBe(1);
  });
});

describe("rows are checked as the file is read", () => {
  it("says how many rows so far while checking (the length is known at the end), then writes them all", async () => {
    const progress: ImportProgress[] = [];
    const outcome = await importNow(
      "ROSTER",
      {
        fileName: "stream.csv",
        bytes: Buffer.from(roster("STR", 5_000)),
        strict: true,
        actor: SYSTEM_ACTOR,
        createdById: null,
      },
      (p) => progress.push(p),
    );
    expect(outcome).toMatchObject({ status: "DONE", total: 5_000, counts: { created: 5_000 } });
    const checking = progress.filter((p) => p.phase === "checking" && p.done > 0);
    expect(checking.length).toBeGreaterThan(0);
    expect(checking.every((p) => p.total === 0 && progressKey(p) === "checkingSoFar")).toBe(true);
    expect(progress.filter((p) => p.phase === "writing").every((p) => p.total === 5_000)).toBe(true);
    for (const lang of ["vi", "en"]) {
      const messages = (await import(`../locales/${lang}/coverage.json`)) as {
        importResult: { phase: Record<string, string> };
        file: Record<string, string>;
      };
      expect(messages.importResult.phase.checkingSoFar).toContain("{{done}}");
      expect(messages.file.rosterChanged).toBeTruthy();
    }
  });
});
