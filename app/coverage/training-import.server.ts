import { z } from "zod";
import { isoOfDay, parseIsoDay } from "./dates";
import { lockFactsShared, lockPersons, refreshFacts } from "./facts.server";
import {
  addZodRejects,
  CHECK_STEP,
  checkExtraCells,
  chunks,
  isoDate,
  requiredText,
  sliceOptions,
  writeInSlices,
  yieldToServer,
  type ImportContext,
  type Importer,
  type RejectList,
} from "./imports.server";
import { inScope } from "./scope.server";
import { inList, isoDateOf } from "~/db/sql.server";
import { TRAINING_HEADER, type TrainingColumn } from "./import-columns";
import type { TableRow } from "./table-file.server";
import { insertTrainingRecords, type NewTrainingRecord, type TrainingModeCode } from "./training.server";

// Trainings from files: in-person conferences and workshops (the Decision
// counts them), or online courses taken elsewhere. A row names a person by
// personnel_code; course_code may be a catalog course or any event's code.

const MODES: Record<string, TrainingModeCode> = { online: "ONLINE", in_person: "IN_PERSON", imported: "IMPORTED" };

const TrainingRowSchema = z.object({
  personnel_code: requiredText(64),
  course_code: requiredText(100),
  completed_on: z.string().min(1, "reject.required").pipe(isoDate),
  mode: z
    .string()
    .min(1, "reject.required")
    .refine((value) => modeOf(value) !== undefined, "reject.mode"),
} satisfies Record<TrainingColumn, z.ZodType>);

/** "in_person", "In-Person", "in person" all name the same mode. */
function modeOf(cell: string): TrainingModeCode | undefined {
  return MODES[cell.toLowerCase().replace(/[\s-]+/g, "_")];
}

export type TrainingRow = Omit<NewTrainingRecord, "provenance"> & { row: number };

const LOOKUP_CHUNK = 5_000;

type ParsedTraining = { personnelCode: string; courseCode: string; day: number; mode: TrainingModeCode };

async function checkTraining(
  batches: AsyncIterable<TableRow[]>,
  ctx: ImportContext,
  rejects: RejectList,
): Promise<TrainingRow[]> {
  const parsed: { row: TableRow; data: ParsedTraining }[] = [];
  let index = 0;
  for await (const batch of batches)
    for (const row of batch) {
      if (index++ % CHECK_STEP === 0) await ctx.checked(index - 1);
      if (!checkExtraCells(row, rejects)) continue;
      const result = TrainingRowSchema.safeParse(row.cells);
      if (!result.success) {
        addZodRejects(row, result.error, rejects);
        continue;
      }
      const day = parseIsoDay(result.data.completed_on)!;
      if (day > ctx.today) {
        rejects.add(row.row, "completed_on", "dateInFuture", row.cells.completed_on ?? "");
        continue;
      }
      const data = {
        personnelCode: result.data.personnel_code,
        courseCode: result.data.course_code.toLowerCase(),
        day,
        mode: modeOf(result.data.mode)!,
      };
      parsed.push({ row, data });
    }

  // People outside the actor's scope are reported exactly like unknown codes.
  const people = new Map<string, string>();
  const codes = [...new Set(parsed.map((p) => p.data.personnelCode))];
  for (const part of chunks(codes, LOOKUP_CHUNK)) {
    await yieldToServer();
    const found = await ctx.sql.all(
      ctx.sql.db
        .selectFrom("RosterPerson")
        .select(["id", "personnelCode", "provinceId", "agencyId"])
        .where((eb) => inList(ctx.sql, eb.ref("personnelCode"), part)),
    );
    for (const person of found) if (inScope(ctx.actor, person)) people.set(person.personnelCode, person.id);
  }

  const firstRowOfKey = new Map<string, number>();
  const accepted: TrainingRow[] = [];
  for (const [index, { row, data }] of parsed.entries()) {
    if (index % CHECK_STEP === 0) {
      await yieldToServer();
      await rejects.flush();
    }
    const personId = people.get(data.personnelCode);
    if (!personId) {
      rejects.add(row.row, "personnel_code", "unknownPerson", data.personnelCode);
      continue;
    }
    const key = `${personId}\u0000${data.courseCode}\u0000${data.day}`;
    const first = firstRowOfKey.get(key);
    if (first !== undefined) {
      rejects.add(row.row, "course_code", "duplicateRecord", row.cells.course_code ?? "", { first });
      continue;
    }
    firstRowOfKey.set(key, row.row);
    accepted.push({ row: row.row, personId, courseCode: data.courseCode, day: data.day, mode: data.mode });
  }
  return accepted;
}

// Slices sized by time, as for the roster (see roster-import.server.ts).

async function writeTraining(rows: TrainingRow[], ctx: ImportContext, onWritten: (rows: number) => void) {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  await writeInSlices(rows, sliceOptions(ctx.sql), async (part) => {
    await ctx.sql.transaction(async (tx) => {
      const personIds = [...new Set(part.map((r) => r.personId))];
      await lockFactsShared(tx);
      await lockPersons(tx, personIds);
      const stored = await tx.all(
        tx.db
          .selectFrom("TrainingRecord")
          .select((eb) => ["personId", "courseCode", isoDateOf(tx, eb.ref("completedOn")).as("completedOn")])
          .where((eb) => inList(tx, eb.ref("personId"), personIds)),
      );
      const known = new Set(stored.map((r) => `${r.personId}\u0000${r.courseCode}\u0000${r.completedOn}`));
      const fresh = part.filter((r) => !known.has(`${r.personId}\u0000${r.courseCode}\u0000${isoOfDay(r.day)}`));
      await insertTrainingRecords(
        tx,
        fresh.map(({ row, ...record }) => ({
          ...record,
          provenance: { source: "IMPORT", importId: ctx.importId, row },
        })),
      );
      await refreshFacts(tx, [...new Set(fresh.map((r) => r.personId))]);
      counts.created += fresh.length;
      counts.unchanged += part.length - fresh.length;
    });
    onWritten(part.length);
  });
  return counts;
}

export const trainingImporter: Importer<TrainingRow> = {
  kind: "TRAINING",
  columns: { required: [...TRAINING_HEADER], optional: [] },
  check: checkTraining,
  write: writeTraining,
};
