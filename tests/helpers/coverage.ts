import { importNow } from "~/coverage/import-jobs.server";
import type { ImportProgress } from "~/coverage/imports.server";
import type { CoverageRow } from "~/coverage/report.server";
import { SYSTEM_ACTOR, type Actor } from "~/coverage/scope.server";
import { recordCourseCompletion } from "~/learning/course-completion.server";
import { db } from "~/utils/db.server";

type ImportOptions = {
  strict?: boolean;
  actor?: Actor;
  createdById?: string;
  onProgress?: (progress: ImportProgress) => void;
};

async function importCsv(kind: "ROSTER" | "TRAINING", csv: string, options: ImportOptions) {
  return importNow(
    kind,
    {
      fileName: `${kind.toLowerCase()}.csv`,
      bytes: Buffer.from(csv, "utf8"),
      strict: options.strict ?? false,
      actor: options.actor ?? SYSTEM_ACTOR,
      createdById: options.createdById ?? null,
    },
    options.onProgress,
  );
}

/** An import recorded as made by this user. */
export const importNowAs = (actor: Actor, userId: string, kind: "ROSTER" | "TRAINING", csv: string) =>
  importCsv(kind, csv, { actor, createdById: userId });

export const importRosterCsv = (csv: string, options: Omit<ImportOptions, "createdById"> = {}) =>
  importCsv("ROSTER", csv, options);
export const importTrainingCsv = (csv: string, options: { strict?: boolean; actor?: Actor } = {}) =>
  importCsv("TRAINING", csv, options);

export const ROSTER_HEAD = "personnel_code,full_name,email,agency,province,target_groups,position,joined_on,left_on";

/** A roster file of `rows` valid people coded prefix0, prefix1…, and an optional last line as given. */
export function rosterCsv(prefix: string, rows: number, last = ""): string {
  const lines = [ROSTER_HEAD];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}${i},Người ${i},,Bộ Tư pháp,Hà Nội,HR_WORK,,,`);
  if (last) lines.push(last);
  return `${lines.join("\n")}\n`;
}

/** { "HR_WORK": "1/2" }: trained over headcount, for readable expectations. */
export function byGroup(rows: CoverageRow[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [r.group.code, `${r.trained}/${r.headcount}`]));
}

/** { "HR_WORK Hà Nội": "1/1" } */
export function byUnit(rows: CoverageRow[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [`${r.group.code} ${r.unit?.nameVi}`, `${r.trained}/${r.headcount}`]));
}

export async function provinceId(code: string): Promise<string> {
  return (await db.province.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;
}

export async function createCoordinator(email: string, scope: { provinceCode?: string; agencyCode?: string } = {}) {
  const scopeProvinceId = scope.provinceCode ? await provinceId(scope.provinceCode) : null;
  const scopeAgencyId = scope.agencyCode
    ? (await db.agency.findUniqueOrThrow({ where: { code: scope.agencyCode }, select: { id: true } })).id
    : null;
  const user = await db.user.create({
    data: { email, name: email, passwordHash: "x", role: "COORDINATOR", scopeProvinceId, scopeAgencyId },
  });
  const actor: Actor = { kind: "user", id: user.id, role: user.role, scopeProvinceId, scopeAgencyId };
  return { user, actor };
}

/** A course finished online, through the path the player takes (completion and training record in one transaction); the course is made if needed. */
export async function completeOnline(userId: string, courseCode: string, at: Date): Promise<boolean> {
  const convention = await db.convention.findUniqueOrThrow({ where: { code: "ICCPR" }, select: { id: true } });
  const course = await db.course.upsert({
    where: { code: courseCode },
    create: {
      code: courseCode,
      conventionId: convention.id,
      language: "vi",
      title: courseCode,
      summary: "…",
      status: "PUBLISHED",
    },
    update: {},
  });
  return recordCourseCompletion(userId, course.id, at);
}
