// Reports' reads (getReportSql): on SQLite they run in worker threads with
// their own read-only connections (app/db/read-pool.server.ts), and must give
// what the web server's own connection gives. Runs on SQLite, and on
// PostgreSQL with TEST_DATABASE_URL (where reports read on the connection itself).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { ReaderGoneError } from "~/db/read-pool.server";
import { closeSql, fragment, getReportSql, getSql, PooledSqliteReader } from "~/db/sql.server";
import { importRosterCsv, importTrainingCsv, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { loadGroups } from "./report.server";

const ROSTER = `${ROSTER_HEAD}
R1,Nguyễn Văn An,an@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK;INFO_MGMT,Chuyên viên,2024-01-02,
R2,Trần Thị Bình,,Bộ Tư pháp,Hà Giang,HR_WORK,,,2025-03-01
R3,Lê Văn Cường,,Sở Thông tin và Truyền thông Hà Nội,TP. Hà Nội,INFO_MGMT,,,
`;

beforeAll(async () => {
  await seedReferenceData();
  expect((await importRosterCsv(ROSTER)).status).toBe("DONE");
  expect(
    (
      await importTrainingCsv(
        "personnel_code,course_code,completed_on,mode\nR1,iccpr-intro,2024-02-10,online\nR3,hn-workshop,2024-03-01,in_person\n",
      )
    ).status,
  ).toBe("DONE");
});
afterAll(closeSql);

// A query that takes a while on SQLite (a few hundred milliseconds): a long report.
const slowQuery = fragment<{
  n: number;
}>`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) AS n FROM c`;

describe("reports' reads", () => {
  it("give the rows the connection itself gives", async () => {
    const here = getSql();
    const pooled = getReportSql();
    expect(await loadGroups(pooled)).toEqual(await loadGroups(here));
    const facts = (sql: typeof here) =>
      sql.all(
        sql.db
          .selectFrom("CoverageFact as f")
          .innerJoin("RosterPerson as p", "p.id", "f.personId")
          .select([
            "p.personnelCode",
            "p.email",
            "p.createdAt",
            "f.joinedDay",
            "f.leftDay",
            "f.qualifiedDay",
            "f.provinceId",
          ])
          .where("p.createdAt", "<=", new Date(Date.now() + 60_000))
          .orderBy("p.personnelCode")
          .orderBy("f.ruleId"),
      );
    const rows = await facts(pooled);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(await facts(here));
    expect(
      await pooled.first(here.db.selectFrom("Province").select("code").where("code", "=", "nope")),
    ).toBeUndefined();
  });

  it("fail with the database's message, and the next read works", async () => {
    await expect(getReportSql().all(fragment`SELECT * FROM "NoSuchTable"`)).rejects.toThrow(/NoSuchTable/i);
    expect(await getReportSql().first(fragment<{ one: number }>`SELECT 1 AS one`)).toEqual({ one: 1 });
  });
});

describe.runIf(getSql().dialect === "sqlite")("the SQLite read pool", () => {
  it("leaves the web server's thread free while a long report runs", async () => {
    const order: string[] = [];
    const report = getReportSql()
      .first(slowQuery)
      .then((row) => order.push(`report ${row!.n}`));
    setTimeout(() => order.push("timer"), 0);
    await report;
    // On the server's own connection the report would finish first: the timer waits for the thread.
    expect(order).toEqual(["timer", "report 3000000"]);
  });

  it("fails the reads of a worker that dies, then starts another", async () => {
    const reader = getReportSql() as PooledSqliteReader;
    await reader.first(fragment`SELECT 1 AS one`);
    const before = reader.pool.workers.map((w) => w.threadId);
    expect(before.length).toBeGreaterThan(0);
    const inFlight = reader.first(slowQuery);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all(reader.pool.workers.map((w) => w.terminate()));
    await expect(inFlight).rejects.toBeInstanceOf(ReaderGoneError);
    expect(await reader.first(fragment<{ one: number }>`SELECT 1 AS one`)).toEqual({ one: 1 });
    const after = reader.pool.workers.map((w) => w.threadId);
    expect(after.length).toBeGreaterThan(0);
    expect(after.some((id) => before.includes(id))).toBe(false);
  });

  it("is closed with the connection", async () => {
    const reader = getReportSql() as PooledSqliteReader;
    await reader.first(fragment`SELECT 1 AS one`);
    await closeSql();
    expect(reader.pool.workers).toEqual([]);
    await expect(reader.first(fragment`SELECT 1 AS one`)).rejects.toThrow(/closed/);
    // The next use opens a new connection and pool.
    expect(await getReportSql().first(fragment<{ one: number }>`SELECT 1 AS one`)).toEqual({ one: 1 });
  });
});

describe.runIf(getSql().dialect === "postgresql")("on PostgreSQL", () => {
  it("reports read on the connection itself", () => {
    expect(getReportSql()).toBe(getSql());
  });
});
