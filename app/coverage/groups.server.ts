import { sortableId } from "./ids";
import { z } from "zod";
import { db } from "~/utils/db.server";
import { dateOfDay, parseIsoDay } from "./dates";
import { buildFactsForRule, lockFactsExclusive } from "./facts.server";
import type { TrainingRule } from "./rule";
import { getSql } from "./sql.server";

// Target groups, their targets and deadlines, and the versions of the rule
// that decides who counts as trained: data an admin edits, not constants.
// A rule is never changed in place; a new version takes effect from its
// validFrom, so reports on earlier dates keep the rule they had.

const isoDay = z
  .string({ message: "validation.required" })
  .trim()
  .refine((value) => parseIsoDay(value) !== null, "validation.date")
  .transform((value) => parseIsoDay(value)!);

const courseCodeList = z
  .string()
  .default("")
  .transform((value) => [...new Set(value.split(/[\s,;]+/).map((c) => c.trim().toLowerCase()).filter(Boolean))]);

export const RuleFormSchema = z
  .object({
    kind: z.enum(["ANY_TRAINING", "MIN_COUNT", "REQUIRED_COURSES"], { message: "validation.invalid" }),
    minCount: z.string().optional(),
    courseCodes: courseCodeList,
    schemeStart: isoDay,
    validFrom: isoDay,
  })
  .transform((form, ctx) => {
    let minCount: number | null = null;
    if (form.kind === "MIN_COUNT") {
      const parsed = Number(form.minCount);
      if (!Number.isInteger(parsed) || parsed < 1 || parsed > 100) {
        ctx.addIssue({ code: "custom", path: ["minCount"], message: "validation.minCount" });
        return z.NEVER;
      }
      minCount = parsed;
    }
    if (form.kind === "REQUIRED_COURSES" && form.courseCodes.length === 0) {
      ctx.addIssue({ code: "custom", path: ["courseCodes"], message: "validation.courseCodes" });
      return z.NEVER;
    }
    return { ...form, minCount, courseCodes: form.kind === "REQUIRED_COURSES" ? form.courseCodes : [] };
  });

export type RuleForm = z.output<typeof RuleFormSchema>;

export const GroupFormSchema = z.object({
  nameVi: z.string({ message: "validation.required" }).trim().min(2, "validation.required").max(300, "validation.invalid"),
  nameEn: z.string({ message: "validation.required" }).trim().min(2, "validation.required").max(300, "validation.invalid"),
  targetPercent: z.coerce.number({ message: "validation.percent" }).gt(0, "validation.percent").max(100, "validation.percent"),
  deadline: isoDay,
});

export const NewGroupFormSchema = GroupFormSchema.extend({
  code: z
    .string({ message: "validation.required" })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][A-Z0-9_]{1,39}$/, "validation.groupCode"),
  schemeStart: isoDay,
});

export async function listGroupsWithRules() {
  return db.targetGroup.findMany({
    orderBy: [{ position: "asc" }, { code: "asc" }],
    include: {
      rules: { orderBy: [{ validFrom: "desc" }, { createdAt: "desc" }], include: { createdBy: { select: { name: true, email: true } } } },
      _count: { select: { memberships: true } },
    },
  });
}

export async function updateGroup(code: string, form: z.output<typeof GroupFormSchema>) {
  return db.targetGroup.update({
    where: { code },
    data: { nameVi: form.nameVi, nameEn: form.nameEn, targetPercent: form.targetPercent, deadline: dateOfDay(form.deadline) },
  });
}

export async function createGroup(form: z.output<typeof NewGroupFormSchema>, createdById: string): Promise<"created" | "exists"> {
  if (await db.targetGroup.findUnique({ where: { code: form.code }, select: { id: true } })) return "exists";
  const last = await db.targetGroup.aggregate({ _max: { position: true } });
  await db.targetGroup.create({
    data: {
      code: form.code,
      nameVi: form.nameVi,
      nameEn: form.nameEn,
      targetPercent: form.targetPercent,
      deadline: dateOfDay(form.deadline),
      position: (last._max.position ?? 0) + 1,
      // Nobody is in a new group yet, so its first rule has no facts to build.
      rules: { create: { kind: "ANY_TRAINING", schemeStart: dateOfDay(form.schemeStart), validFrom: dateOfDay(form.schemeStart), createdById } },
    },
  });
  return "created";
}

/** A new version of a group's rule, with its facts, in one transaction. */
export async function addRuleVersion(groupCode: string, form: RuleForm, createdById: string | null): Promise<TrainingRule | null> {
  return getSql().transaction(async (tx) => {
    await lockFactsExclusive(tx);
    const [group] = await tx.all<{ id: string }>(`SELECT "id" FROM "TargetGroup" WHERE "code" = ?`, [groupCode]);
    if (!group) return null;
    const rule: TrainingRule = {
      id: sortableId(),
      groupId: group.id,
      kind: form.kind,
      minCount: form.minCount,
      courseCodes: form.courseCodes,
      schemeStartDay: form.schemeStart,
      validFromDay: form.validFrom,
      createdAt: Date.now(),
    };
    const kind = tx.dialect === "postgresql" ? `?::"TrainingRuleKind"` : "?";
    await tx.run(
      `INSERT INTO "TargetGroupRule" ("id", "groupId", "kind", "minCount", "courseCodes", "schemeStart", "validFrom", "createdById", "createdAt")
       VALUES (?, ?, ${kind}, ?, ?, ?, ?, ?, ?)`,
      [
        rule.id,
        rule.groupId,
        rule.kind,
        rule.minCount,
        JSON.stringify(rule.courseCodes),
        dateOfDay(rule.schemeStartDay),
        dateOfDay(rule.validFromDay),
        createdById,
        new Date(),
      ],
    );
    await buildFactsForRule(tx, rule);
    return rule;
  });
}
