import { sortableId } from "~/utils/ids.server";
import { z } from "zod";
import { recordAudit, SYSTEM_AUDIT_ACTOR, type AuditActor } from "~/audit/audit.server";
import { auditInSql } from "./audit-sql.server";
import { db } from "~/utils/db.server";
import { dateOfDay, isoOfDay, parseIsoDay } from "./dates";
import { buildFactsForRule, lockFactsExclusive, serializeCourseCodes } from "./facts.server";
import type { TrainingRule } from "./rule";
import { getSql, isoDateOf } from "~/db/sql.server";
import { coverageChangedIn } from "./report-version.server";

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
  .transform((value) => [
    ...new Set(
      value
        .split(/[\s,;]+/)
        .map((c) => c.trim().toLowerCase())
        .filter(Boolean),
    ),
  ]);

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
  nameVi: z
    .string({ message: "validation.required" })
    .trim()
    .min(2, "validation.required")
    .max(300, "validation.invalid"),
  nameEn: z
    .string({ message: "validation.required" })
    .trim()
    .min(2, "validation.required")
    .max(300, "validation.invalid"),
  targetPercent: z.coerce
    .number({ message: "validation.percent" })
    .gt(0, "validation.percent")
    .max(100, "validation.percent"),
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
      rules: {
        orderBy: [{ validFrom: "desc" }, { createdAt: "desc" }],
        include: {
          createdBy: { select: { name: true, email: true } },
          withdrawnBy: { select: { name: true, email: true } },
        },
      },
      _count: { select: { memberships: true } },
    },
  });
}

export async function updateGroup(code: string, form: z.output<typeof GroupFormSchema>, actor: AuditActor) {
  return db.$transaction(async (tx) => {
    const before = await tx.targetGroup.findUniqueOrThrow({ where: { code } });
    const after = await tx.targetGroup.update({
      where: { code },
      data: {
        nameVi: form.nameVi,
        nameEn: form.nameEn,
        targetPercent: form.targetPercent,
        deadline: dateOfDay(form.deadline),
      },
    });
    // Old and new values of what changed: targets and deadlines are what reports are judged against.
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const seen = (g: typeof before) => ({
      nameVi: g.nameVi,
      nameEn: g.nameEn,
      targetPercent: g.targetPercent,
      deadline: g.deadline.toISOString().slice(0, 10),
    });
    const [was, now] = [seen(before), seen(after)];
    for (const key of Object.keys(now) as (keyof typeof now)[])
      if (was[key] !== now[key]) changes[key] = { from: was[key], to: now[key] };
    if (Object.keys(changes).length > 0) {
      await recordAudit(
        { actor, action: "group.update", target: { type: "group", id: code }, details: { changes } },
        tx,
      );
      await coverageChangedIn(tx);
    }
    return after;
  });
}

export async function createGroup(
  form: z.output<typeof NewGroupFormSchema>,
  actor: { id: string; email: string },
): Promise<"created" | "exists"> {
  if (await db.targetGroup.findUnique({ where: { code: form.code }, select: { id: true } })) return "exists";
  const last = await db.targetGroup.aggregate({ _max: { position: true } });
  await db.$transaction(async (tx) => {
    await tx.targetGroup.create({
      data: {
        code: form.code,
        nameVi: form.nameVi,
        nameEn: form.nameEn,
        targetPercent: form.targetPercent,
        deadline: dateOfDay(form.deadline),
        position: (last._max.position ?? 0) + 1,
        // Nobody is in a new group yet, so its first rule has no facts to build.
        rules: {
          create: {
            kind: "ANY_TRAINING",
            schemeStart: dateOfDay(form.schemeStart),
            validFrom: dateOfDay(form.schemeStart),
            createdById: actor.id,
          },
        },
      },
    });
    await recordAudit(
      {
        actor,
        action: "group.create",
        target: { type: "group", id: form.code },
        details: {
          nameVi: form.nameVi,
          targetPercent: form.targetPercent,
          deadline: isoOfDay(form.deadline),
          schemeStart: isoOfDay(form.schemeStart),
        },
      },
      tx,
    );
    await coverageChangedIn(tx);
  });
  return "created";
}

/** A new version of a group's rule, with its facts, in one transaction. */
export async function addRuleVersion(
  groupCode: string,
  form: RuleForm,
  by: AuditActor | null,
): Promise<TrainingRule | null> {
  const actor = by ?? SYSTEM_AUDIT_ACTOR;
  const createdById = actor.id;
  return getSql().transaction(async (tx) => {
    await lockFactsExclusive(tx);
    const group = await tx.first(tx.db.selectFrom("TargetGroup").select("id").where("code", "=", groupCode));
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
    await tx.run(
      tx.db.insertInto("TargetGroupRule").values({
        id: rule.id,
        groupId: rule.groupId,
        kind: rule.kind,
        minCount: rule.minCount,
        courseCodes: serializeCourseCodes(rule.courseCodes),
        schemeStart: dateOfDay(rule.schemeStartDay),
        validFrom: dateOfDay(rule.validFromDay),
        createdById,
        createdAt: new Date(),
      }),
    );
    const facts = await buildFactsForRule(tx, rule);
    await auditInSql(tx, {
      actor,
      action: "rule.add",
      target: { type: "rule", id: rule.id },
      details: {
        group: groupCode,
        kind: rule.kind,
        minCount: rule.minCount,
        courseCodes: rule.courseCodes,
        schemeStart: isoOfDay(rule.schemeStartDay),
        validFrom: isoOfDay(rule.validFromDay),
        facts,
      },
    });
    return rule;
  });
}

export const WithdrawFormSchema = z.object({
  ruleId: z.string({ message: "validation.required" }).regex(/^[A-Za-z0-9_-]{1,64}$/, "operations:validation.invalid"),
  reason: z
    .string({ message: "operations:validation.reasonLength" })
    .trim()
    .min(3, "operations:validation.reasonLength")
    .max(500, "operations:validation.reasonLength"),
});

export type WithdrawOutcome = "withdrawn" | "notFound" | "alreadyWithdrawn" | "lastVersion";

/**
 * Withdraws a mistaken rule version: reports stop using it (the version in
 * force on a day is then the latest remaining one), its facts go, and the
 * audit trail keeps who did it and why — all in one transaction. A group
 * always keeps one version.
 */
export async function withdrawRuleVersion(ruleId: string, reason: string, actor: AuditActor): Promise<WithdrawOutcome> {
  return getSql().transaction(async (tx) => {
    await lockFactsExclusive(tx);
    const rule = await tx.first(
      tx.db
        .selectFrom("TargetGroupRule as r")
        .innerJoin("TargetGroup as g", "g.id", "r.groupId")
        .select((eb) => [
          "r.id",
          "r.groupId",
          "r.withdrawnAt",
          "g.code",
          isoDateOf(tx, eb.ref("r.validFrom")).as("validFrom"),
        ])
        .where("r.id", "=", ruleId),
    );
    if (!rule) return "notFound";
    if (rule.withdrawnAt !== null) return "alreadyWithdrawn";
    const others = await tx.first(
      tx.db
        .selectFrom("TargetGroupRule")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("groupId", "=", rule.groupId)
        .where("withdrawnAt", "is", null)
        .where("id", "<>", ruleId),
    );
    if (Number(others?.n ?? 0) === 0) return "lastVersion";
    await tx.run(
      tx.db
        .updateTable("TargetGroupRule")
        .set({ withdrawnAt: new Date(), withdrawnById: actor.id, withdrawnReason: reason })
        .where("id", "=", ruleId),
    );
    const facts = await tx.run(tx.db.deleteFrom("CoverageFact").where("ruleId", "=", ruleId));
    await auditInSql(tx, {
      actor,
      action: "rule.withdraw",
      target: { type: "rule", id: ruleId },
      details: { group: rule.code, validFrom: rule.validFrom, reason, facts },
    });
    return "withdrawn";
  });
}
