// Who counts as trained. Decision 1079 sets targets for the share of each
// target group that is trained by 2028; this module is the one place that
// says what "trained on date D" means. Days are integers (see dates.ts).
//
// Default rule (ANY_TRAINING): a person is trained on D when they are in the
// group's headcount on D and have at least one training record with
// schemeStart <= completedOn <= D. An admin can require a minimum number of
// different courses (MIN_COUNT) or a set of courses (REQUIRED_COURSES), and
// move the scheme start. Rules are versions: the one in force on D is the one
// with the latest validFrom on or before D.

export type RuleKind = "ANY_TRAINING" | "MIN_COUNT" | "REQUIRED_COURSES";

export type TrainingRule = {
  id: string;
  groupId: string;
  kind: RuleKind;
  minCount: number | null;
  courseCodes: string[]; // lower case
  schemeStartDay: number;
  validFromDay: number;
  createdAt: number; // ms; breaks ties between versions valid from the same day
};

export type Membership = { joinedDay: number | null; leftDay: number | null };

/** A training record as the rule reads it; `voidDay`: the record counts on no day from then on. */
export type TrainingEvent = { courseCode: string; day: number; voidDay?: number | null };

/** In the headcount on D: joined on or before D (or no date), and not left on or before D. */
export function isMemberOn(membership: Membership, day: number): boolean {
  return (
    (membership.joinedDay === null || membership.joinedDay <= day) &&
    (membership.leftDay === null || membership.leftDay > day)
  );
}

/** First day in the scheme window each course was completed. */
function firstDayPerCourse(rule: TrainingRule, records: readonly TrainingEvent[]): Map<string, number> {
  const first = new Map<string, number>();
  for (const record of records) {
    if (record.day < rule.schemeStartDay) continue;
    const known = first.get(record.courseCode);
    if (known === undefined || record.day < known) first.set(record.courseCode, record.day);
  }
  return first;
}

/**
 * The first day on which the records satisfy the rule, or null if they never
 * do. Satisfying a rule only gets easier as days pass, so "trained on D" is
 * "qualified on or before D" for any D.
 */
export function qualifiedDay(rule: TrainingRule, records: readonly TrainingEvent[]): number | null {
  const first = firstDayPerCourse(rule, records);
  if (first.size === 0) return null;
  switch (rule.kind) {
    case "ANY_TRAINING":
      return Math.min(...first.values());
    case "MIN_COUNT": {
      // Different courses count; finishing the same course twice is one training.
      const needed = Math.max(1, rule.minCount ?? 1);
      const days = [...first.values()].sort((a, b) => a - b);
      return days.length >= needed ? days[needed - 1]! : null;
    }
    case "REQUIRED_COURSES": {
      if (rule.courseCodes.length === 0) return null;
      let last = -Infinity;
      for (const code of rule.courseCodes) {
        const day = first.get(code);
        if (day === undefined) return null;
        last = Math.max(last, day);
      }
      return last;
    }
  }
}

/** A record counts on D when it was completed on or before D and not voided on or before D. */
export function countsOn(record: TrainingEvent, day: number): boolean {
  return record.day <= day && (record.voidDay === undefined || record.voidDay === null || record.voidDay > day);
}

/** THE rule: in the headcount on D, and the records that count on D satisfy the rule. */
export function isTrainedOn(
  membership: Membership,
  rule: TrainingRule,
  records: readonly TrainingEvent[],
  day: number,
): boolean {
  if (!isMemberOn(membership, day)) return false;
  return (
    qualifiedDay(
      rule,
      records.filter((r) => countsOn(r, day)),
    ) !== null
  );
}

export type QualifiedPeriod = { from: number; to: number | null };

/**
 * The days on which the records satisfy the rule, as periods [from, to) (to
 * null: still). Without voids that is at most one period from qualifiedDay
 * on; a void can end a period, and a later record start another. The status
 * changes only on a record's day or a void's day, so those are the days to look at.
 */
export function qualifiedPeriods(rule: TrainingRule, records: readonly TrainingEvent[]): QualifiedPeriod[] {
  if (records.every((r) => r.voidDay === undefined || r.voidDay === null)) {
    const from = qualifiedDay(rule, records);
    return from === null ? [] : [{ from, to: null }];
  }
  const days = [
    ...new Set(records.flatMap((r) => (r.voidDay === undefined || r.voidDay === null ? [r.day] : [r.day, r.voidDay]))),
  ].sort((a, b) => a - b);
  const periods: QualifiedPeriod[] = [];
  let open: QualifiedPeriod | null = null;
  for (const day of days) {
    const satisfied =
      qualifiedDay(
        rule,
        records.filter((r) => countsOn(r, day)),
      ) !== null;
    if (satisfied && !open) periods.push((open = { from: day, to: null }));
    else if (!satisfied && open) {
      open.to = day;
      open = null;
    }
  }
  return periods;
}

/** One stretch of a membership: "trained" switches on at most once inside it, at qualifiedDay (null: never). */
export type MembershipSegment = Membership & { qualifiedDay: number | null };

/**
 * A membership cut at the days its person stops being qualified, so that in
 * each piece "trained on D" is again "member on D and qualifiedDay <= D" —
 * the shape the summary table stores (one row per piece).
 */
export function membershipSegments(membership: Membership, periods: readonly QualifiedPeriod[]): MembershipSegment[] {
  const cuts = periods
    .map((p) => p.to)
    .filter(
      (to): to is number =>
        to !== null &&
        (membership.joinedDay === null || to > membership.joinedDay) &&
        (membership.leftDay === null || to < membership.leftDay),
    );
  const starts = [membership.joinedDay, ...cuts];
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]! : membership.leftDay;
    // Periods end only at cuts or at/after leftDay, so at most one overlaps a piece.
    const period = periods.find(
      (p) => (end === null || p.from < end) && (p.to === null || start === null || p.to > start),
    );
    return { joinedDay: start, leftDay: end, qualifiedDay: period?.from ?? null };
  });
}

/**
 * The version of a group's rule in force on D. Before the first version's
 * validFrom, the first version applies: it is the rule the scheme started with.
 */
export function ruleInForce<R extends Pick<TrainingRule, "validFromDay" | "createdAt">>(
  rules: readonly R[],
  day: number,
): R {
  if (rules.length === 0) throw new Error("A target group has no rule");
  const ordered = [...rules].sort((a, b) => a.validFromDay - b.validFromDay || a.createdAt - b.createdAt);
  let current = ordered[0]!;
  for (const rule of ordered) if (rule.validFromDay <= day) current = rule;
  return current;
}

// The same two conditions for the summary table (CoverageFact) are
// memberOn and qualifiedBy in report.server.ts, over its integer day columns.
// The summary stores each membershipSegments piece as a row, so they mirror
// isMemberOn and isTrainedOn exactly; facts.server.test.ts checks the two
// agree on random data.

// ---------------------------------------------------------------- targets

export type CoverageStatus = "no_headcount" | "met" | "on_track" | "behind";

export type Assessment = {
  percent: number | null; // trained / headcount, one decimal
  gap: number; // people still to train to reach the target
  expectedPercent: number; // where a straight line from scheme start to deadline is on D
  status: CoverageStatus;
};

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** How far along the straight line from scheme start (0) to deadline (1) D is. */
export function trajectoryFraction(day: number, schemeStartDay: number, deadlineDay: number): number {
  if (deadlineDay <= schemeStartDay) return 1;
  return Math.min(1, Math.max(0, (day - schemeStartDay) / (deadlineDay - schemeStartDay)));
}

/**
 * Counts against a group's target on D. The gap is whole people: 70% of 11 is
 * 7.7, so 8 must be trained.
 */
export function assessCoverage(input: {
  headcount: number;
  trained: number;
  targetPercent: number;
  day: number;
  schemeStartDay: number;
  deadlineDay: number;
}): Assessment {
  const { headcount, trained, targetPercent } = input;
  const expectedPercent = round1(
    targetPercent * trajectoryFraction(input.day, input.schemeStartDay, input.deadlineDay),
  );
  if (headcount === 0) return { percent: null, gap: 0, expectedPercent, status: "no_headcount" };
  // Rounded to a millionth first so 70% of 100 is 70, not 70.00000000000001.
  const needed = Math.ceil(Math.round((targetPercent / 100) * headcount * 1e6) / 1e6);
  const exact = (trained / headcount) * 100;
  const status: CoverageStatus =
    exact >= targetPercent
      ? "met"
      : exact >= targetPercent * trajectoryFraction(input.day, input.schemeStartDay, input.deadlineDay)
        ? "on_track"
        : "behind";
  return { percent: round1(exact), gap: Math.max(0, needed - trained), expectedPercent, status };
}

/**
 * The days within [fromDay, toDay] on which another version of the rule took
 * over (every version's validFrom but the first's): the chart marks them,
 * since the count can jump there for no change in training.
 */
export function ruleChangeDays(
  rules: readonly Pick<TrainingRule, "validFromDay" | "createdAt">[],
  fromDay: number,
  toDay: number,
): number[] {
  const ordered = [...rules].sort((a, b) => a.validFromDay - b.validFromDay || a.createdAt - b.createdAt);
  return [...new Set(ordered.slice(1).map((r) => r.validFromDay))].filter((day) => day >= fromDay && day <= toDay);
}

// ---------------------------------------------------------------- a person's own requirement

export type RequirementProgress = {
  kind: RuleKind;
  /** Courses the rule asks for: 1 for any training, minCount, or the number of required courses. */
  needed: number;
  /** Courses that count towards it on D, each once, in the order they were first completed. */
  counted: string[];
  /** For REQUIRED_COURSES, the courses still to do; empty otherwise. */
  missing: string[];
  /** Satisfied on D: exactly isTrainedOn's answer for a member. */
  done: boolean;
};

/** What the rule asks of one person and how far their records that count on D go towards it. */
export function requirementProgress(
  rule: TrainingRule,
  records: readonly TrainingEvent[],
  day: number,
): RequirementProgress {
  const counting = records.filter((r) => countsOn(r, day));
  const first = [...firstDayPerCourse(rule, counting).entries()].sort(
    (a, b) => a[1] - b[1] || a[0].localeCompare(b[0]),
  );
  const done = qualifiedDay(rule, counting) !== null;
  switch (rule.kind) {
    case "ANY_TRAINING":
      return { kind: rule.kind, needed: 1, counted: first.map(([code]) => code), missing: [], done };
    case "MIN_COUNT":
      return {
        kind: rule.kind,
        needed: Math.max(1, rule.minCount ?? 1),
        counted: first.map(([code]) => code),
        missing: [],
        done,
      };
    case "REQUIRED_COURSES": {
      const have = new Set(first.map(([code]) => code));
      return {
        kind: rule.kind,
        needed: rule.courseCodes.length,
        counted: first.map(([code]) => code).filter((code) => rule.courseCodes.includes(code)),
        missing: rule.courseCodes.filter((code) => !have.has(code)),
        done,
      };
    }
  }
}
