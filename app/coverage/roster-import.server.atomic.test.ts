import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { closeSql, getSql, type Sql } from "~/db/sql.server";
import { createCoordinator, importRosterCsv, provinceId, rosterCsv } from "../../tests/helpers/coverage";
import {
  IMPORTS_LOCK,
  progressKey,
  RejectList,
  runImport,
  type ImportContext,
  type ImportProgress,
} from "./imports.server";
import { importNow } from "./import-jobs.server";
import { SYSTEM_ACTOR } from "./scope.server";
import { rosterImporter, type RosterRow } from "./roster-import.server";
import { ImportFileError, type TableRow } from "./table-file.server";
import { vietnamDay } from "./dates";

// What a strict import promises, and what the write does when the roster it
// was checked against has changed (decision 160). PostgreSQL writes a whole
// import in one transaction; SQLite in slices after every row is checked.

beforeAll(seedReferenceData);
afterAll(closeSql);

const postgres = getSql().dialect === "postgresql";

const count = (prefix: string) => db.rosterPerson.count({ where: { personnelCode: { startsWith: prefix } } });

describe("a strict import", () => {
  it("with a bad last row writes nothing, more rows than a slice before it", async () => {
    const outcome = await importRosterCsv(
      rosterCsv("SL", 4_500, "SLBAD,Người cuối,,Bộ Tư pháp,Hà Nội,NO_SUCH_GROUP,,,"),
      {
        strict: true,
      },
    );
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
      rosterCsv("PGT", 6_000, 'PGTNUL,"Người\u0000cuối",,Bộ Tư pháp,Hà Nội,HR_WORK,,,'),
    );
    expect(outcome.status).toBe("FAILED");
    expect(await count("PGT")).toBe(0);
    expect(await db.groupMembership.count({ where: { person: { personnelCode: { startsWith: "PGT" } } } })).toBe(0);
  });

  // Rows are written as they are checked, inside that transaction (decision
  // 160): past 20,000 accepted rows the first group is being written while
  // the rest of the file is still read.
  const GROUP_AND_MORE = 26_000;

  // A connection of its own, in this test's schema: another import, or another transaction.
  const connect = async () => {
    const url = new URL(process.env.DATABASE_URL!);
    const schema = url.searchParams.get("schema");
    url.search = "";
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    if (schema) await client.query(`SET search_path TO "${schema.replace(/"/g, '""')}"`);
    return client;
  };

  // Backends holding a row lock on this test's roster (SELECT ... FOR UPDATE
  // or a write): the import's transaction, under way.
  const writers = async () => {
    const schema = new URL(process.env.DATABASE_URL!).searchParams.get("schema");
    const [row] = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(DISTINCT l.pid) AS n FROM pg_locks l
        JOIN pg_class c ON c.oid = l.relation
        JOIN pg_namespace ns ON ns.oid = c.relnamespace
       WHERE ns.nspname = ${schema} AND c.relname = 'RosterPerson'
         AND l.mode IN ('RowShareLock', 'RowExclusiveLock') AND l.pid <> pg_backend_pid()`;
    return Number(row!.n);
  };

  it("writes the first rows while the rest of the file is still being checked", async () => {
    // Looked at every thousand rows checked past the first group.
    const looks: Promise<number>[] = [];
    const outcome = await importNow(
      "ROSTER",
      {
        fileName: "as-checked.csv",
        bytes: Buffer.from(rosterCsv("ASC", GROUP_AND_MORE + 4_000)),
        strict: false,
        actor: SYSTEM_ACTOR,
        createdById: null,
      },
      (p) => {
        if (p.phase === "checking" && p.done > 20_000) looks.push(writers());
      },
    );
    expect(outcome).toMatchObject({ status: "DONE", counts: { created: GROUP_AND_MORE + 4_000 } });
    expect(looks.length).toBeGreaterThan(0);
    expect(Math.max(...(await Promise.all(looks)))).toBe(1);
    expect(await count("ASC")).toBe(GROUP_AND_MORE + 4_000);
  });

  it("two imports at once run one after the other: both new to the roster, the second finds the first's people", async () => {
    // The same 3,000 new codes, under other names in the second file.
    const first = rosterCsv("TWO", 3_000);
    const second = first.replace(/Người /g, "Người khác ");
    const outcomes = await Promise.all([importRosterCsv(first), importRosterCsv(second)]);
    expect(outcomes.map((o) => o.status)).toEqual(["DONE", "DONE"]);
    // Whichever went first created them; the other updated every one of them.
    expect(outcomes.map((o) => o.counts.created).sort()).toEqual([0, 3_000]);
    expect(outcomes.map((o) => o.counts.updated).sort()).toEqual([0, 3_000]);
    expect(await count("TWO")).toBe(3_000);
  });

  it("says it is waiting while another import holds the imports' lock, then reads its file", async () => {
    // Another import under way: a connection of its own holds the lock imports take.
    const other = await connect();
    try {
      await other.query("SELECT pg_advisory_lock($1)", [IMPORTS_LOCK]);
      const phases: string[] = [];
      let release: Promise<unknown> | null = null;
      const outcome = await importRosterCsv(rosterCsv("WAIT", 50), {
        onProgress: (p) => {
          phases.push(p.phase);
          if (p.phase === "waiting") release ??= other.query("SELECT pg_advisory_unlock($1)", [IMPORTS_LOCK]);
        },
      });
      await release;
      expect(outcome).toMatchObject({ status: "DONE", counts: { created: 50 } });
      const waiting = phases.indexOf("waiting");
      expect(waiting).toBeGreaterThan(-1);
      // Nothing was checked before the lock was free.
      expect(phases.slice(0, waiting)).not.toContain("checking");
      expect(phases.slice(waiting + 1)).toContain("checking");
      for (const lang of ["vi", "en"]) {
        const messages = (await import(`../locales/${lang}/coverage.json`)) as {
          importResult: { phase: Record<string, string> };
        };
        expect(messages.importResult.phase.waiting).toBeTruthy();
      }
    } finally {
      await other.end();
    }
  });

  it("gives up waiting for a stuck import after its limit, reading and writing nothing", async () => {
    // An import that never finishes: a connection holding the lock and doing nothing.
    const other = await connect();
    try {
      await other.query("SELECT pg_advisory_lock($1)", [IMPORTS_LOCK]);
      const record = await db.dataImport.create({ data: { kind: "ROSTER", fileName: "stuck.csv", status: "RUNNING" } });
      const phases: string[] = [];
      const started = Date.now();
      const outcome = await runImport(
        rosterImporter,
        {
          importId: record.id,
          fileName: "stuck.csv",
          source: Buffer.from(rosterCsv("STUCK", 20, "STUCK-X,Người X,,Bộ Tư pháp,Atlantis,HR_WORK,,,")),
          strict: false,
          actor: SYSTEM_ACTOR,
          today: vietnamDay(new Date()),
          lockWaitMs: 400,
        },
        (p) => phases.push(p.phase),
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect(outcome).toMatchObject({ status: "FAILED", failure: { reason: "importsBusy", params: { minutes: 1 } } });
      expect(phases).toContain("waiting");
      expect(phases).not.toContain("checking");
      expect(await count("STUCK")).toBe(0);
      // Not even the bad row's reject: no row was read.
      expect(await db.dataImport.findUniqueOrThrow({ where: { id: record.id } })).toMatchObject({
        status: "FAILED",
        rejectCount: 0,
        processedRows: 0,
      });
      for (const lang of ["vi", "en"]) {
        const messages = (await import(`../locales/${lang}/coverage.json`)) as { file: Record<string, string> };
        expect(messages.file.importsBusy).toContain("{{minutes}}");
      }
    } finally {
      await other.end();
    }
  });

  it("once it has the lock, waits for rows other transactions hold as long as they take", async () => {
    await importRosterCsv(rosterCsv("HELD", 3));
    // A learner's confirmation, say, holding one of the people the import updates.
    const [other, holder] = await Promise.all([connect(), connect()]);
    try {
      await other.query("SELECT pg_advisory_lock($1)", [IMPORTS_LOCK]);
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM "RosterPerson" WHERE "personnelCode" = 'HELD0' FOR UPDATE`);
      const record = await db.dataImport.create({ data: { kind: "ROSTER", fileName: "held.csv", status: "RUNNING" } });
      let letGo: Promise<unknown> | null = null;
      const outcome = await runImport(
        rosterImporter,
        {
          importId: record.id,
          fileName: "held.csv",
          source: Buffer.from(rosterCsv("HELD", 3).replace(/Người/g, "Bà")),
          strict: false,
          actor: SYSTEM_ACTOR,
          today: vietnamDay(new Date()),
          lockWaitMs: 300,
        },
        (p) => {
          if (p.phase === "waiting") void other.query("SELECT pg_advisory_unlock($1)", [IMPORTS_LOCK]);
          // The row stays locked for twice the lock's limit after the import starts on it.
          if (p.phase === "checking")
            letGo ??= new Promise((resolve) => setTimeout(resolve, 700)).then(() => holder.query("COMMIT"));
        },
      );
      await letGo;
      expect(outcome).toMatchObject({ status: "DONE", counts: { updated: 3 } });
    } finally {
      await Promise.all([other.end(), holder.end()]);
    }
  });

  it("a file refused after rows were written leaves none of them, and no rejects", async () => {
    const bytes = Buffer.concat([
      Buffer.from(rosterCsv("RFX", GROUP_AND_MORE, "RFXBAD,Tên x,,Bộ Tư pháp,Hà Nội,NO_SUCH_GROUP,,,")),
      // Not UTF-8: the file is refused at its last row.
      Buffer.from([0x52, 0x46, 0x58, 0x2c, 0xc3, 0x28, 0x0a]),
    ]);
    const outcome = await importNow("ROSTER", {
      fileName: "refused-late.csv",
      bytes,
      strict: false,
      actor: SYSTEM_ACTOR,
      createdById: null,
    });
    expect(outcome.status).toBe("FAILED");
    expect(outcome.failure?.reason).toBe("encodingNotUtf8");
    expect(outcome.rejectCount).toBe(0);
    expect(await count("RFX")).toBe(0);
    expect(await db.importRejectPage.count({ where: { importId: outcome.importId } })).toBe(0);
  });

  it("a strict file with a bad row after rows were written leaves none of them", async () => {
    const csv = rosterCsv("STX", GROUP_AND_MORE, "STXBAD,Tên x,,Bộ Tư pháp,Hà Nội,NO_SUCH_GROUP,,,");
    const outcome = await importRosterCsv(csv, { strict: true });
    expect(outcome.failure).toEqual({ reason: "strictRefused", params: { rejected: 1 } });
    expect(await count("STX")).toBe(0);
    expect(await db.groupMembership.count({ where: { person: { personnelCode: { startsWith: "STX" } } } })).toBe(0);
    // Not strict, the same file writes every good row and rejects the last.
    const lenient = await importRosterCsv(csv);
    expect(lenient).toMatchObject({ status: "DONE", rejected: 1, counts: { created: GROUP_AND_MORE } });
    expect(await count("STX")).toBe(GROUP_AND_MORE);
  });

  it("a strict file rolls back at its first reject and checks the rest holding no lock", async () => {
    const lines = rosterCsv("SRB", GROUP_AND_MORE).trimEnd().split("\n");
    lines.push("SRBBAD,Tên x,,Bộ Tư pháp,Hà Nội,NO_SUCH_GROUP,,,");
    for (let i = 0; i < 20_000; i++) lines.push(`SRC${i},Người ${i},,Bộ Tư pháp,Hà Nội,HR_WORK,,,`);
    // Looked at once the group holding the bad row (by row 31,000 at most) was checked.
    const looks: Promise<number>[] = [];
    const outcome = await importNow(
      "ROSTER",
      {
        fileName: "strict-early.csv",
        bytes: Buffer.from(`${lines.join("\n")}\n`),
        strict: true,
        actor: SYSTEM_ACTOR,
        createdById: null,
      },
      (p) => {
        if (p.phase === "checking" && p.done > 36_000) looks.push(writers());
      },
    );
    expect(outcome.failure).toEqual({ reason: "strictRefused", params: { rejected: 1 } });
    expect(outcome.total).toBe(GROUP_AND_MORE + 20_001);
    expect(outcome.rejects.map((r) => r.reason)).toEqual(["unknownGroup"]);
    expect(looks.length).toBeGreaterThan(0);
    expect(await Promise.all(looks)).toEqual(looks.map(() => 0));
    expect(await count("SRB")).toBe(0);
    expect(await count("SRC")).toBe(0);
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
    const accepted: RosterRow[] = [];
    const groups = rosterImporter.asChecked.check(
      (async function* () {
        yield rows;
      })(),
      ctx,
      rejects,
    );
    for await (const group of groups) accepted.push(...group);
    expect(rejects.count).toBe(0);
    return { ctx, accepted };
  }

  /** As runImport writes checked rows: in the import's one transaction on PostgreSQL, in slices on SQLite. */
  function write(ctx: ImportContext, accepted: RosterRow[]) {
    const writeAll = async (sql: Sql) => {
      const writer = rosterImporter.asChecked.writer(sql, () => {});
      await writer.write(accepted);
      await writer.end();
    };
    return postgres ? ctx.sql.transaction(writeAll) : writeAll(ctx.sql);
  }

  it("stops with rosterChanged instead of writing a person moved out of the importer's scope", async () => {
    const { actor } = await createCoordinator("atomic-hn@example.test", { provinceCode: "cur-ha-noi" });
    await importRosterCsv(rosterCsv("MOV", 1));
    // MOV0 is last: on PostgreSQL the earlier rows are in earlier slices of the same transaction.
    const csv = rosterCsv("MVN", 2_500, "MOV0,Tên mới,,Bộ Tư pháp,Hà Nội,HR_WORK");
    const { ctx, accepted } = await checked(csv, actor);
    // Meanwhile someone moves MOV0 to another province, out of the coordinator's scope.
    const elsewhere = await provinceId("cur-da-nang");
    await db.rosterPerson.update({ where: { personnelCode: "MOV0" }, data: { provinceId: elsewhere } });

    const error = await write(ctx, accepted).catch((e: unknown) => e);
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
    const { ctx, accepted } = await checked(rosterCsv("NEWC", 3), { kind: "system" });
    await importRosterCsv(rosterCsv("NEWC", 1).replace("Người 0", "Người khác"));
    const error = await write(ctx, accepted).catch((e: unknown) => e);
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
    const outcome = await importRosterCsv(rosterCsv("STR", 5_000), {
      strict: true,
      onProgress: (p) => progress.push(p),
    });
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
