import { hash } from "node:crypto";
import { sortableId } from "~/utils/ids.server";
import { z } from "zod";
import { dateOfDay } from "./dates";
import { lockFactsShared, writeFactsForNewMemberships, type FactMembership } from "./facts.server";
import {
  addZodRejects,
  checkExtraCells,
  CHECK_STEP,
  chunks,
  dayOfCell,
  optionalIsoDate,
  optionalText,
  requiredText,
  type ImportContext,
  yieldToServer,
  type GroupWriter,
  type Importer,
  type RejectList,
  sliceOptions,
  type SlicePace,
  writeInSlices,
} from "./imports.server";
import { asciiSlug, matchProvince } from "./provinces";
import { inScope, scopeOf } from "./scope.server";
import { copyFrom, fragment, inList, type Column, type ColumnOf, type Sql } from "~/db/sql.server";
import { headerRule, ROSTER_COLUMNS, type RosterColumn } from "./import-columns";
import { ImportFileError, type TableRow } from "./table-file.server";

// The roster: the people in each target group, the denominators of coverage.
// Rows are upserted by personnel_code; a row is the whole truth about its
// person, so the groups it lists replace the ones stored before.

const RosterRowSchema = z.object({
  personnel_code: requiredText(64),
  full_name: requiredText(200),
  email: z.union([z.literal(""), z.email("reject.email").max(254, "reject.tooLong")]),
  agency: requiredText(200),
  province: requiredText(100),
  target_groups: requiredText(500),
  position: optionalText(200),
  joined_on: optionalIsoDate,
  left_on: optionalIsoDate,
} satisfies Record<RosterColumn, z.ZodType>);

type GroupMembershipRow = { groupId: string; joinedDay: number | null; leftDay: number | null };

export type RosterRow = {
  row: number;
  personnelCode: string;
  fullName: string;
  email: string | null;
  agencyRaw: string;
  agencyKey: string;
  agencyId: string | null; // null: a new agency, created on write
  provinceRaw: string;
  provinceId: string;
  formerProvinceId: string;
  position: string | null;
  memberships: GroupMembershipRow[];
  sourceHash: string;
  existing: ExistingPerson | null;
};

type ExistingPerson = {
  id: string;
  personnelCode: string;
  sourceHash: string | null;
  provinceId: string | null;
  agencyId: string | null;
};

/** The comparison key of an agency name or code: "Bộ Tư pháp" and "bo tu phap" meet. */
export function agencyKey(raw: string): string {
  return asciiSlug(raw).replace(/-/g, "");
}

/** A roster names a few thousand agencies and places over and over: normalise each spelling once. */
function memo<T>(fn: (raw: string) => T): (raw: string) => T {
  const cache = new Map<string, T>();
  return (raw) => {
    let value = cache.get(raw);
    if (value === undefined && !cache.has(raw)) {
      value = fn(raw);
      cache.set(raw, value);
    }
    return value as T;
  };
}

function agencyCode(raw: string): string {
  return `ag-${asciiSlug(raw).slice(0, 80)}`;
}

async function loadReference(sql: Sql) {
  const provinces = await sql.all(sql.db.selectFrom("Province").select(["id", "code"]));
  const groups = await sql.all(sql.db.selectFrom("TargetGroup").select(["id", "code"]));
  const agencies = await sql.all(sql.db.selectFrom("Agency").select(["id", "code", "nameVi", "nameEn"]));
  const agencyByKey = new Map<string, string>();
  for (const agency of agencies) {
    // Names first, codes last: a code wins when a name happens to spell another's code.
    for (const name of [agency.nameEn, agency.nameVi, agency.code])
      if (name) agencyByKey.set(agencyKey(name), agency.id);
  }
  return {
    provinceId: new Map(provinces.map((p) => [p.code, p.id])),
    groupId: new Map(groups.map((g) => [g.code.toUpperCase(), g.id])),
    agencyByKey,
  };
}

const LOOKUP_CHUNK = 5_000;

async function loadExisting(sql: Sql, codes: string[]): Promise<Map<string, ExistingPerson>> {
  const found = new Map<string, ExistingPerson>();
  for (const part of chunks(codes, LOOKUP_CHUNK)) {
    await yieldToServer();
    const rows: ExistingPerson[] = await sql.all(
      sql.db
        .selectFrom("RosterPerson")
        .select(["id", "personnelCode", "sourceHash", "provinceId", "agencyId"])
        .where((eb) => inList(sql, eb.ref("personnelCode"), part)),
    );
    for (const row of rows) found.set(row.personnelCode, row);
  }
  return found;
}

/** What the row says about the person; a re-import with the same says nothing new. */
function hashRow(row: RosterRow): string {
  const memberships = [...row.memberships].sort((a, b) => a.groupId.localeCompare(b.groupId));
  // A change detector, not a security measure: SHA-1 is enough and fast.
  return hash(
    "sha1",
    JSON.stringify([
      row.fullName,
      row.email,
      row.agencyRaw,
      row.provinceRaw,
      row.provinceId,
      row.formerProvinceId,
      row.position,
      memberships,
    ]),
  );
}

/**
 * Checks the file's rows as the worker parses them and yields the accepted
 * ones a few thousand at a time, each group once the people it names are
 * looked up on the roster (a code of another unit is refused). Nothing is
 * written: on PostgreSQL the import writes each group as it comes, inside its
 * one transaction; on SQLite every group is staged on disk until the whole file
 * is checked (decision 160).
 */
async function* checkRosterChunks(
  batches: AsyncIterable<TableRow[]>,
  ctx: ImportContext,
  rejects: RejectList,
): AsyncGenerator<RosterRow[]> {
  const ref = await loadReference(ctx.sql);
  const findProvince = memo(matchProvince);
  const keyOfAgency = memo(agencyKey);
  const firstRowOfCode = new Map<string, number>();
  let candidates: RosterRow[] = [];

  let index = 0;
  for await (const batch of batches) {
    for (const row of batch) {
      if (index++ % CHECK_STEP === 0) await ctx.checked(index - 1);
      checkRosterRow(row);
    }
    if (candidates.length >= LOOKUP_CHUNK) {
      const part = candidates;
      candidates = [];
      yield await acceptKnown(part, ctx, rejects);
    }
  }
  if (candidates.length) yield await acceptKnown(candidates, ctx, rejects);

  function checkRosterRow(row: TableRow) {
    if (!checkExtraCells(row, rejects)) return;
    const code = (row.cells.personnel_code ?? "").trim();
    if (code) {
      const first = firstRowOfCode.get(code);
      if (first !== undefined) {
        rejects.add(row.row, "personnel_code", "duplicateCode", code, { first });
        return;
      }
      firstRowOfCode.set(code, row.row);
    }
    const parsed = RosterRowSchema.safeParse(row.cells);
    if (!parsed.success) addZodRejects(row, parsed.error, rejects);
    const cells = parsed.success ? parsed.data : null;

    const provinceRaw = (row.cells.province ?? "").trim();
    const province = provinceRaw ? findProvince(provinceRaw) : null;
    if (provinceRaw && !province) rejects.add(row.row, "province", "unknownProvince", provinceRaw);

    const groupCells = (row.cells.target_groups ?? "")
      .split(/[;,]/)
      .map((g) => g.trim().toUpperCase())
      .filter(Boolean);
    const groupIds: string[] = [];
    for (const groupCode of new Set(groupCells)) {
      const id = ref.groupId.get(groupCode);
      if (id) groupIds.push(id);
      else rejects.add(row.row, "target_groups", "unknownGroup", groupCode, { code: groupCode });
    }

    const joinedDay = cells ? dayOfCell(cells.joined_on) : null;
    const leftDay = cells ? dayOfCell(cells.left_on) : null;
    if (joinedDay !== null && leftDay !== null && leftDay < joinedDay) {
      rejects.add(row.row, "left_on", "leftBeforeJoined", row.cells.left_on ?? "");
    }

    const agencyRaw = (row.cells.agency ?? "").trim();
    const agencyId = agencyRaw ? (ref.agencyByKey.get(keyOfAgency(agencyRaw)) ?? null) : null;
    if (province && agencyRaw) {
      const provinceId = ref.provinceId.get(province.currentCode)!;
      if (!inScope(ctx.actor, { provinceId, agencyId })) {
        const scope = scopeOf(ctx.actor);
        const field = scope.provinceId !== null && scope.provinceId !== provinceId ? "province" : "agency";
        rejects.add(row.row, field, "outOfScope", field === "agency" ? agencyRaw : provinceRaw);
      }
    }
    if (!cells || !province || rejects.has(row.row)) return;

    // Built field by field: object spread of a row this size costs V8 several
    // microseconds, seconds over a 200,000-row roster (measured).
    const candidate: RosterRow = {
      row: row.row,
      personnelCode: cells.personnel_code,
      fullName: cells.full_name,
      email: cells.email ? cells.email.toLowerCase() : null,
      agencyRaw: cells.agency,
      provinceRaw: cells.province,
      provinceId: ref.provinceId.get(province.currentCode)!,
      formerProvinceId: ref.provinceId.get(province.formerCode)!,
      position: cells.position || null,
      memberships: groupIds.map((groupId) => ({ groupId, joinedDay, leftDay })),
      agencyKey: keyOfAgency(cells.agency),
      agencyId,
      sourceHash: "",
      existing: null,
    };
    candidate.sourceHash = hashRow(candidate);
    candidates.push(candidate);
  }
}

/**
 * The candidates whose codes are not someone else's: a code already on the
 * roster of a unit the actor cannot see is not theirs to change. The reason
 * does not say that the code exists elsewhere: a reject list must not be a way
 * to probe other units. (Only a scoped actor gets here; the national level and
 * the CLI may change anyone. Stored imports may still carry the older
 * "codeInOtherUnit".) Each accepted row learns whom it updates, if anyone.
 */
async function acceptKnown(candidates: RosterRow[], ctx: ImportContext, rejects: RejectList): Promise<RosterRow[]> {
  const existing = await loadExisting(
    ctx.sql,
    candidates.map((c) => c.personnelCode),
  );
  const accepted: RosterRow[] = [];
  for (const [index, candidate] of candidates.entries()) {
    if (index % CHECK_STEP === 0) {
      await yieldToServer();
      await rejects.flush();
    }
    const person = existing.get(candidate.personnelCode) ?? null;
    if (person && !inScope(ctx.actor, person)) {
      rejects.add(candidate.row, "personnel_code", "codeNotInScope", candidate.personnelCode);
      continue;
    }
    candidate.existing = person;
    accepted.push(candidate);
  }
  return accepted;
}

const PERSON_COLUMNS: Column<"RosterPerson">[] = [
  { name: "id", type: "text" },
  { name: "personnelCode", type: "text" },
  { name: "fullName", type: "text" },
  { name: "email", type: "text" },
  { name: "agencyId", type: "text" },
  { name: "agencyRaw", type: "text" },
  { name: "provinceId", type: "text" },
  { name: "formerProvinceId", type: "text" },
  { name: "provinceRaw", type: "text" },
  { name: "position", type: "text" },
  { name: "sourceHash", type: "text" },
  { name: "createdAt", type: "timestamp" },
  { name: "updatedAt", type: "timestamp" },
];

const MEMBERSHIP_COLUMNS: Column<"GroupMembership">[] = [
  { name: "id", type: "text" },
  { name: "personId", type: "text" },
  { name: "groupId", type: "text" },
  { name: "joinedOn", type: "timestamp" },
  { name: "leftOn", type: "timestamp" },
];

const AGENCY_COLUMNS: Column<"Agency">[] = [
  { name: "id", type: "text" },
  { name: "code", type: "text" },
  { name: "nameVi", type: "text" },
  { name: "createdAt", type: "timestamp" },
];

// Rows per transaction: writeInSlices sizes them by time. Every commit writes
// each index page the slice touched, so larger slices write far less (200,000
// rows: 16 s at 2,000, 7 s at 20,000), but on SQLite a slice holds the only
// write lock, and other requests wait for it.

/**
 * Writes accepted rows, in slices, to `sql`: the import's one transaction on
 * PostgreSQL (a failure anywhere, or a roster changed since the check, writes
 * nothing), the database itself on SQLite (one write lock for everyone: its
 * slices commit one by one). Called once per group of rows; `counts` adds up.
 */
function rosterWriter(sql: Sql, onWritten: (rows: number) => void) {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const agencyIds = new Map<string, string>();
  const pace: SlicePace = { last: null };

  const writeSlice = async (part: RosterRow[]) => {
    // On PostgreSQL `sql` is the import's one transaction already, and this runs inside it.
    await sql.transaction(async (tx) => {
      const now = new Date();
      await lockFactsShared(tx);
      await lockUnchangedPeople(tx, part);
      await createNewAgencies(tx, part, agencyIds, now);
      const slice = { part, ids: new Map(part.map((r) => [r, r.existing?.id ?? sortableId()])), agencyIds, now };
      // PostgreSQL: COPY into a staging table, then set-based statements (decision 130).
      const copy = tx.dialect === "postgresql";
      const { fresh, updated } = copy ? await copyPeople(tx, slice) : await writePeople(tx, slice);
      const memberships = copy
        ? await copyMemberships(tx, slice, updated)
        : await replaceMemberships(tx, slice, updated);
      if (copy) await tx.run(tx.db.withTables<Staged>().schema.dropTable(STAGE));
      // Every membership of these people was created just now, so their facts are written fresh.
      await writeFactsForNewMemberships(
        tx,
        part.map((r) => ({
          id: slice.ids.get(r)!,
          provinceId: r.provinceId,
          formerProvinceId: r.formerProvinceId,
          agencyId: agencyIdOf(r, agencyIds),
        })),
        memberships,
      );
      counts.created += fresh.length;
      counts.updated += updated.length;
    });
    onWritten(part.length);
  };

  // Rows of the last group too few for a slice: they go first in the next.
  let carried: RosterRow[] = [];
  const writer: GroupWriter<RosterRow> = {
    counts,
    async write(rows) {
      const changed = rows.filter((r) => r.existing === null || r.existing.sourceHash !== r.sourceHash);
      counts.unchanged += rows.length - changed.length;
      onWritten(rows.length - changed.length);
      carried = await writeInSlices([...carried, ...changed], sliceOptions(sql), writeSlice, pace, true);
    },
    async end() {
      await writeInSlices(carried, sliceOptions(sql), writeSlice, pace);
      carried = [];
    },
  };
  return writer;
}

/**
 * Locks the slice's people already on the roster (PostgreSQL, in id order, so
 * two writers cannot deadlock) and checks that the roster still says what the
 * check read: the same people under these codes, in the same province and
 * agency (the scope check's inputs), and no new ones. Only imports write
 * those columns, and imports are serial, so a difference means someone
 * changed the roster by other means meanwhile: the import stops with
 * `rosterChanged` instead of writing what was checked against another roster.
 */
async function lockUnchangedPeople(tx: Sql, part: RosterRow[]) {
  const byCode = new Map(part.map((r) => [r.personnelCode, r]));
  const query = tx.db
    .selectFrom("RosterPerson")
    .select(["id", "personnelCode", "provinceId", "agencyId"])
    .where((eb) =>
      inList(
        tx,
        eb.ref("personnelCode"),
        part.map((r) => r.personnelCode),
      ),
    )
    .orderBy("id");
  const found = await tx.all(tx.dialect === "postgresql" ? query.forUpdate() : query);
  const existing = part.reduce((n, r) => n + (r.existing ? 1 : 0), 0);
  const same = found.filter((person) => {
    const was = byCode.get(person.personnelCode)?.existing;
    return was && was.id === person.id && was.provinceId === person.provinceId && was.agencyId === person.agencyId;
  });
  if (same.length !== found.length || found.length !== existing) throw new ImportFileError("rosterChanged");
}

/** One transaction's rows, the ids their people have (or get), and the agencies made so far. */
type RosterSlice = { part: RosterRow[]; ids: Map<RosterRow, string>; agencyIds: Map<string, string>; now: Date };

function agencyIdOf(row: RosterRow, agencyIds: Map<string, string>): string {
  return row.agencyId ?? agencyIds.get(row.agencyKey)!;
}

/** Agencies the roster names for the first time become agencies (kind OTHER); their ids go into agencyIds. */
async function createNewAgencies(tx: Sql, part: RosterRow[], agencyIds: Map<string, string>, now: Date) {
  const newAgencies = new Map<string, string>();
  for (const row of part)
    if (row.agencyId === null && !agencyIds.has(row.agencyKey)) newAgencies.set(row.agencyKey, row.agencyRaw);
  if (newAgencies.size === 0) return;
  await tx.insertMany(
    "Agency",
    AGENCY_COLUMNS,
    [...newAgencies.values()].map((name) => [sortableId(), agencyCode(name), name, now]),
    { skipConflictsOn: ["code"] },
  );
  const codes = [...newAgencies.values()].map(agencyCode);
  const created = await tx.all(
    tx.db
      .selectFrom("Agency")
      .select(["id", "code"])
      .where((eb) => inList(tx, eb.ref("code"), codes)),
  );
  const idByCode = new Map(created.map((a) => [a.code, a.id]));
  for (const [key, name] of newAgencies) agencyIds.set(key, idByCode.get(agencyCode(name))!);
}

/**
 * Inserts the new people and rewrites the changed ones. An email on the
 * roster is only the coordinator's word: people link their own accounts
 * (link.server.ts), an import never does.
 */
async function writePeople(tx: Sql, { part, ids, agencyIds, now }: RosterSlice) {
  const fields = (r: RosterRow) => ({
    fullName: r.fullName,
    email: r.email,
    agencyId: agencyIdOf(r, agencyIds),
    agencyRaw: r.agencyRaw,
    provinceId: r.provinceId,
    formerProvinceId: r.formerProvinceId,
    provinceRaw: r.provinceRaw,
    position: r.position,
    sourceHash: r.sourceHash,
  });
  const fresh = part.filter((r) => !r.existing);
  const updated = part.filter((r) => r.existing);
  await tx.insertMany(
    "RosterPerson",
    PERSON_COLUMNS,
    fresh.map((r) => {
      const person: Partial<Record<ColumnOf<"RosterPerson">, unknown>> = {
        id: ids.get(r),
        personnelCode: r.personnelCode,
        ...fields(r),
        createdAt: now,
        updatedAt: now,
      };
      return PERSON_COLUMNS.map((c) => person[c.name]);
    }),
  );
  for (const r of updated) {
    await tx.run(
      tx.db
        .updateTable("RosterPerson")
        .set({ ...fields(r), updatedAt: now })
        .where("id", "=", ids.get(r)!),
    );
  }
  return { fresh, updated };
}

/** Replaces the memberships of the slice's people with what the roster says; returns the new ones. */
async function replaceMemberships(
  tx: Sql,
  { part, ids }: RosterSlice,
  updated: RosterRow[],
): Promise<FactMembership[]> {
  if (updated.length) {
    const personIds = updated.map((r) => ids.get(r)!);
    await tx.run(tx.db.deleteFrom("GroupMembership").where((eb) => inList(tx, eb.ref("personId"), personIds)));
  }
  const memberships: FactMembership[] = part.flatMap((r) =>
    r.memberships.map((m) => ({
      id: sortableId(),
      personId: ids.get(r)!,
      groupId: m.groupId,
      joinedDay: m.joinedDay,
      leftDay: m.leftDay,
    })),
  );
  await tx.insertMany(
    "GroupMembership",
    MEMBERSHIP_COLUMNS,
    memberships.map((m) => [
      m.id,
      m.personId,
      m.groupId,
      m.joinedDay === null ? null : dateOfDay(m.joinedDay),
      m.leftDay === null ? null : dateOfDay(m.leftDay),
    ]),
  );
  return memberships;
}

// ---------------------------------------------------------------- PostgreSQL: COPY

// The slice's people, as the roster gives them, in a temporary table that
// goes with the transaction. Every column is text but `existing`.
const STAGE = "roster_stage";
type StageRow = {
  id: string;
  personnelCode: string;
  fullName: string;
  email: string | null;
  agencyId: string;
  agencyRaw: string;
  provinceId: string;
  formerProvinceId: string;
  provinceRaw: string;
  position: string | null;
  sourceHash: string;
  existing: boolean;
};
type Staged = { roster_stage: StageRow };
// Written from the stage into RosterPerson: all its columns but `existing`.
const STAGED_FIELDS = [
  "personnelCode",
  "fullName",
  "email",
  "agencyId",
  "agencyRaw",
  "provinceId",
  "formerProvinceId",
  "provinceRaw",
  "position",
  "sourceHash",
] as const satisfies readonly (keyof StageRow & ColumnOf<"RosterPerson">)[];
const STAGE_COLUMNS = ["id", ...STAGED_FIELDS, "existing"] as const satisfies readonly (keyof StageRow)[];

/**
 * writePeople on PostgreSQL: the slice's people go into the stage with COPY,
 * then one INSERT ... SELECT adds the new and one UPDATE ... FROM rewrites
 * the changed, whatever their number.
 */
async function copyPeople(tx: Sql, { part, ids, agencyIds, now }: RosterSlice) {
  const db = tx.db.withTables<Staged>();
  let create = db.schema.createTable(STAGE).temporary().onCommit("drop");
  for (const column of STAGE_COLUMNS)
    create = create.addColumn(column, column === "existing" ? "boolean" : "text", (c) =>
      column === "id" ? c.primaryKey() : c,
    );
  await tx.run(create);
  await copyFrom(
    tx,
    STAGE,
    STAGE_COLUMNS,
    (function* () {
      for (const r of part) {
        yield [
          ids.get(r),
          r.personnelCode,
          r.fullName,
          r.email,
          agencyIdOf(r, agencyIds),
          r.agencyRaw,
          r.provinceId,
          r.formerProvinceId,
          r.provinceRaw,
          r.position,
          r.sourceHash,
          r.existing !== null,
        ];
      }
    })(),
  );
  // The column is TIMESTAMP(3) holding UTC, as Prisma writes it (sql.server.ts).
  const at = fragment<Date>`CAST(${now.toISOString()} AS timestamp(3))`;
  await tx.run(
    db
      .insertInto("RosterPerson")
      .columns(["id", ...STAGED_FIELDS, "createdAt", "updatedAt"])
      .expression(
        db
          .selectFrom(STAGE)
          .select(["id", ...STAGED_FIELDS])
          .select([at.as("createdAt"), at.as("updatedAt")])
          .where("existing", "=", false),
      ),
  );
  const updated = part.filter((r) => r.existing);
  if (updated.length) {
    await tx.run(
      db
        .updateTable("RosterPerson")
        .from(STAGE)
        .set((eb) => ({
          fullName: eb.ref(`${STAGE}.fullName`),
          email: eb.ref(`${STAGE}.email`),
          agencyId: eb.ref(`${STAGE}.agencyId`),
          agencyRaw: eb.ref(`${STAGE}.agencyRaw`),
          provinceId: eb.ref(`${STAGE}.provinceId`),
          formerProvinceId: eb.ref(`${STAGE}.formerProvinceId`),
          provinceRaw: eb.ref(`${STAGE}.provinceRaw`),
          position: eb.ref(`${STAGE}.position`),
          sourceHash: eb.ref(`${STAGE}.sourceHash`),
          updatedAt: at,
        }))
        .whereRef("RosterPerson.id", "=", `${STAGE}.id`)
        .where(`${STAGE}.existing`, "=", true),
    );
  }
  return { fresh: part.filter((r) => !r.existing), updated };
}

/** replaceMemberships on PostgreSQL: one DELETE ... USING the stage, the new memberships with COPY. */
async function copyMemberships(tx: Sql, { part, ids }: RosterSlice, updated: RosterRow[]): Promise<FactMembership[]> {
  if (updated.length) {
    const db = tx.db.withTables<Staged>();
    await tx.run(
      db
        .deleteFrom("GroupMembership")
        .using(STAGE)
        .whereRef("GroupMembership.personId", "=", `${STAGE}.id`)
        .where(`${STAGE}.existing`, "=", true),
    );
  }
  const memberships: FactMembership[] = [];
  for (const r of part) {
    const personId = ids.get(r)!;
    for (const m of r.memberships)
      memberships.push({ id: sortableId(), personId, groupId: m.groupId, joinedDay: m.joinedDay, leftDay: m.leftDay });
  }
  await copyFrom(
    tx,
    "GroupMembership",
    MEMBERSHIP_COLUMNS.map((c) => c.name),
    (function* () {
      for (const m of memberships) {
        yield [
          m.id,
          m.personId,
          m.groupId,
          m.joinedDay === null ? null : dateOfDay(m.joinedDay),
          m.leftDay === null ? null : dateOfDay(m.leftDay),
        ];
      }
    })(),
  );
  return memberships;
}

export const rosterImporter = {
  kind: "ROSTER",
  columns: headerRule(ROSTER_COLUMNS),
  asChecked: { check: checkRosterChunks, writer: rosterWriter },
} satisfies Importer<RosterRow>;
