import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { closeSql, copyField, copyFrom, getSql } from "~/db/sql.server";
import { importRosterCsv, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { verifyCoverage } from "./verify.server";
import { SYSTEM_ACTOR } from "./scope.server";
import { parseIsoDay } from "./dates";

// The roster's text as stored, on both databases: on PostgreSQL it travels
// through COPY's text format (decision 130), where a backslash, a tab, a line
// break or the two characters \N would mean something else if not escaped.

beforeAll(seedReferenceData);
afterAll(closeSql);

const csvCell = (text: string) => `"${text.replace(/"/g, '""')}"`;

// Each is a full name, an agency and a position, as written in a cell.
const ODD_TEXTS = [
  'Nguyễn "Bé" Thị Ánh',
  "Trần\tVăn\tTab",
  "Lê Thị\nHai dòng\r\nBa dòng",
  "C:\\Users\\Hà\\n không phải xuống dòng",
  "\\N",
  "\\\\N",
  "NULL",
  "Đặng Ngọc Ẩn, Ỷ Lại; Ưng Thuận",
  "kết thúc bằng \\",
];

function oddRoster(suffix: string, group: string) {
  return [
    ROSTER_HEAD,
    ...ODD_TEXTS.map((text, i) =>
      [
        `ODD${i}`,
        csvCell(`${text}${suffix}`),
        "",
        csvCell(`Cơ quan ${text}`),
        "Hà Nội",
        group,
        csvCell(text),
        "",
        "",
      ].join(","),
    ),
  ].join("\n");
}

async function stored() {
  const people = await db.rosterPerson.findMany({
    where: { personnelCode: { startsWith: "ODD" } },
    select: {
      personnelCode: true,
      fullName: true,
      agencyRaw: true,
      position: true,
      agency: { select: { nameVi: true } },
      memberships: { select: { group: { select: { code: true } } } },
    },
  });
  return new Map(people.map((p) => [p.personnelCode, p]));
}

describe("roster text through the write path", () => {
  it("stores quotes, tabs, line breaks, backslashes, Vietnamese and NULL-looking cells exactly, new and updated", async () => {
    const first = await importRosterCsv(oddRoster("", "HR_WORK"));
    expect(first.rejects).toEqual([]);
    expect(first.counts).toEqual({ created: ODD_TEXTS.length, updated: 0, unchanged: 0 });
    let people = await stored();
    ODD_TEXTS.forEach((text, i) => {
      const person = people.get(`ODD${i}`)!;
      expect(person.fullName).toBe(text);
      expect(person.agencyRaw).toBe(`Cơ quan ${text}`);
      // Agencies meet by their ASCII key ("\\N" and "\\\\N" name the same one): it exists, spelt as first met.
      expect(person.agency?.nameVi).toMatch(/^Cơ quan /);
      expect(person.position).toBe(text);
      expect(person.memberships.map((m) => m.group.code)).toEqual(["HR_WORK"]);
    });

    // The same again: nothing to write. Then every row changed: the update path.
    expect((await importRosterCsv(oddRoster("", "HR_WORK"))).counts).toEqual({
      created: 0,
      updated: 0,
      unchanged: ODD_TEXTS.length,
    });
    const changed = await importRosterCsv(oddRoster(" \\N\t'", "INFO_MGMT"));
    expect(changed.counts).toEqual({ created: 0, updated: ODD_TEXTS.length, unchanged: 0 });
    people = await stored();
    ODD_TEXTS.forEach((text, i) => {
      const person = people.get(`ODD${i}`)!;
      expect(person.fullName).toBe(`${text} \\N\t'`);
      expect(person.position).toBe(text);
      expect(person.memberships.map((m) => m.group.code)).toEqual(["INFO_MGMT"]);
    });
    expect(await verifyCoverage(SYSTEM_ACTOR, [parseIsoDay("2025-06-30")!])).toEqual([]);
  });
});

describe("COPY's text format", () => {
  it("escapes what the format reads as syntax, and writes NULL as \\N", () => {
    expect(copyField(null)).toBe("\\N");
    expect(copyField(undefined)).toBe("\\N");
    expect(copyField("\\N")).toBe("\\\\N");
    expect(copyField("a\tb\nc\rd\\e")).toBe("a\\tb\\nc\\rd\\\\e");
    expect(copyField("Hà Nội \"x\" 'y'")).toBe("Hà Nội \"x\" 'y'");
    expect(copyField(new Date(Date.UTC(2025, 0, 2)))).toBe("2025-01-02T00:00:00.000Z");
    expect(copyField(true)).toBe("t");
    expect(copyField(42)).toBe("42");
  });

  const postgres = getSql().dialect === "postgresql";

  it.skipIf(!postgres)("a failure in the middle of a write transaction leaves nothing of it written", async () => {
    const sql = getSql();
    const province = await db.province.findFirstOrThrow({ select: { id: true } });
    const person = (code: string) => [
      `copy-fail-${code}`,
      code,
      "Tên",
      "Bộ Tư pháp",
      province.id,
      "Hà Nội",
      new Date(),
    ];
    const columns = ["id", "personnelCode", "fullName", "agencyRaw", "provinceId", "provinceRaw", "updatedAt"];
    await expect(
      sql.transaction(async (tx) => {
        expect(await copyFrom(tx, "RosterPerson", columns, [person("CF1"), person("CF2")])).toBe(2);
        // The second COPY repeats a personnel code: it fails half-way through its rows.
        await copyFrom(tx, "RosterPerson", columns, [person("CF3"), person("CF1")]);
      }),
    ).rejects.toThrow();
    expect(await db.rosterPerson.count({ where: { personnelCode: { startsWith: "CF" } } })).toBe(0);
    // And the connection it ran on is still good for the next transaction.
    await sql.transaction(async (tx) => {
      expect(await copyFrom(tx, "RosterPerson", columns, [person("CF4")])).toBe(1);
    });
    expect(await db.rosterPerson.count({ where: { personnelCode: { startsWith: "CF" } } })).toBe(1);
  });

  it.skipIf(!postgres)(
    "a roster row the database refuses fails the import with nothing of its slice written",
    async () => {
      // PostgreSQL text cannot hold U+0000: the COPY of the slice fails.
      const outcome = await importRosterCsv(
        `${ROSTER_HEAD}\nNUL1,Người Một,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\nNUL2,"Người\u0000Hai",,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`,
      );
      expect(outcome.status).toBe("FAILED");
      expect(await db.rosterPerson.count({ where: { personnelCode: { startsWith: "NUL" } } })).toBe(0);
      expect(await db.groupMembership.count({ where: { person: { personnelCode: { startsWith: "NUL" } } } })).toBe(0);
    },
  );
});
