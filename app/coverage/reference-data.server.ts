import { AGENCIES, CONVENTIONS, SCHEME_DEADLINE, SCHEME_START, TARGET_GROUPS } from "~/catalog/conventions";
import { db } from "~/utils/db.server";
import { provinceRows } from "./provinces";
import { coverageChangedIn } from "./report-version.server";

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

/**
 * Reference data every installation needs: provinces (both lists), agencies,
 * conventions with their lead bodies, target groups with their first rule.
 * Inserts what is missing and never overwrites what an admin has edited.
 */
export async function seedReferenceData() {
  const rows = provinceRows();
  const existing = new Set((await db.province.findMany({ select: { code: true } })).map((p) => p.code));
  for (const row of rows.filter((r) => r.era === "CURRENT_34" && !existing.has(r.code))) {
    await db.province.create({
      data: { code: row.code, era: row.era, nameVi: row.nameVi, nameEn: row.nameEn, isCity: row.isCity },
    });
  }
  const currentIds = new Map(
    (await db.province.findMany({ where: { era: "CURRENT_34" }, select: { id: true, code: true } })).map((p) => [
      p.code,
      p.id,
    ]),
  );
  for (const row of rows.filter((r) => r.era === "FORMER_63" && !existing.has(r.code))) {
    await db.province.create({
      data: {
        code: row.code,
        era: row.era,
        nameVi: row.nameVi,
        nameEn: row.nameEn,
        isCity: row.isCity,
        successorId: currentIds.get(row.successorCode!) ?? null,
      },
    });
  }

  for (const agency of AGENCIES) {
    await db.agency.upsert({
      where: { code: agency.code },
      create: {
        code: agency.code,
        nameVi: agency.nameVi,
        nameEn: agency.nameEn,
        kind: agency.kind,
        validTo: agency.validTo ? day(agency.validTo) : null,
      },
      update: {},
    });
  }
  const agencyIds = new Map(
    (await db.agency.findMany({ select: { id: true, code: true } })).map((a) => [a.code, a.id]),
  );
  for (const agency of AGENCIES.filter((a) => a.successor)) {
    await db.agency.updateMany({
      where: { code: agency.code, successorId: null },
      data: { successorId: agencyIds.get(agency.successor!) },
    });
  }

  for (const [position, convention] of CONVENTIONS.entries()) {
    const found = await db.convention.findUnique({ where: { code: convention.code }, select: { id: true } });
    if (found) continue;
    await db.convention.create({
      data: {
        code: convention.code,
        position,
        nameVi: convention.nameVi,
        nameEn: convention.nameEn,
        adoptedYear: convention.adoptedYear,
        vietnamPartyYear: convention.vietnamPartyYear,
        vietnamPartyMode: convention.vietnamPartyMode,
        leadBodies: {
          create: convention.leadBodies.map((lead) => ({
            agencyId: agencyIds.get(lead.agency)!,
            isCoLead: lead.isCoLead ?? false,
            validFrom: day(lead.validFrom),
            validTo: lead.validTo ? day(lead.validTo) : null,
            source: lead.source,
          })),
        },
      },
    });
  }

  for (const [position, group] of TARGET_GROUPS.entries()) {
    const found = await db.targetGroup.findUnique({ where: { code: group.code }, select: { id: true } });
    if (found) continue;
    await db.targetGroup.create({
      data: {
        ...group,
        position,
        deadline: day(SCHEME_DEADLINE),
        rules: { create: { kind: "ANY_TRAINING", schemeStart: day(SCHEME_START), validFrom: day(SCHEME_START) } },
      },
    });
  }
  // Units or groups may have been added: reports cached by another instance are of the day before.
  await coverageChangedIn(db);
}
