import { db } from "~/utils/db.server";
import { getSql } from "~/db/sql.server";
import { dayOfDate, isoOfDay, vietnamDay } from "./dates";
import { loadRules } from "./facts.server";
import { isMemberOn, requirementProgress, ruleInForce, type RuleKind } from "./rule";

// "What must I take?": for the learner's own roster person only (the account's
// link, never a person id from the request), each target group they are in
// today, what its rule in force today asks, how far their training records go,
// and the group's deadline. The same rule functions as the coverage reports.

export type CourseRef = { code: string; title: string | null; titleEn: string | null; published: boolean };

export type GroupRequirement = {
  group: { code: string; nameVi: string; nameEn: string };
  deadline: string; // YYYY-MM-DD
  kind: RuleKind;
  needed: number;
  done: boolean;
  /** Courses that count towards the rule, each once (a training that is not a catalog course has no title). */
  counted: CourseRef[];
  /** REQUIRED_COURSES: the courses still to take. */
  missing: CourseRef[];
};

/** The learner's requirements; null when the account is linked to no roster person. */
export async function requirementsForLearner(userId: string, now = new Date()): Promise<GroupRequirement[] | null> {
  const person = await db.rosterPerson.findUnique({
    where: { userId },
    select: {
      id: true,
      memberships: {
        select: {
          joinedOn: true,
          leftOn: true,
          group: { select: { id: true, code: true, nameVi: true, nameEn: true, deadline: true, position: true } },
        },
      },
      trainingRecords: { select: { courseCode: true, completedOn: true, voidedAt: true } },
    },
  });
  if (!person) return null;
  const today = vietnamDay(now);
  const rules = await loadRules(getSql());
  const records = person.trainingRecords.map((r) => ({
    courseCode: r.courseCode.toLowerCase(),
    day: dayOfDate(r.completedOn),
    voidDay: r.voidedAt ? vietnamDay(r.voidedAt) : null,
  }));
  const current = person.memberships
    .filter((m) =>
      isMemberOn(
        { joinedDay: m.joinedOn ? dayOfDate(m.joinedOn) : null, leftDay: m.leftOn ? dayOfDate(m.leftOn) : null },
        today,
      ),
    )
    .filter((m) => (rules.get(m.group.id)?.length ?? 0) > 0)
    .sort((a, b) => a.group.position - b.group.position || a.group.code.localeCompare(b.group.code));
  const progress = current.map((m) => ({
    membership: m,
    progress: requirementProgress(ruleInForce(rules.get(m.group.id)!, today), records, today),
  }));
  const codes = [...new Set(progress.flatMap((p) => [...p.progress.counted, ...p.progress.missing]))];
  const courses = new Map(
    (
      await db.course.findMany({
        where: { code: { in: codes } },
        select: { code: true, title: true, titleEn: true, status: true },
      })
    ).map((c) => [c.code, c]),
  );
  const ref = (code: string): CourseRef => {
    const course = courses.get(code);
    return {
      code,
      title: course?.title ?? null,
      titleEn: course?.titleEn ?? null,
      published: course?.status === "PUBLISHED",
    };
  };
  return progress.map(({ membership: { group }, progress: p }) => ({
    group: { code: group.code, nameVi: group.nameVi, nameEn: group.nameEn },
    deadline: isoOfDay(dayOfDate(group.deadline)),
    kind: p.kind,
    needed: p.needed,
    done: p.done,
    counted: p.counted.map(ref),
    missing: p.missing.map(ref),
  }));
}
