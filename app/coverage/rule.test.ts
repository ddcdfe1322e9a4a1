import { describe, expect, it } from "vitest";
import { parseIsoDay } from "./dates";
import fc from "fast-check";
import {
  assessCoverage,
  isMemberOn,
  isTrainedOn,
  membershipSegments,
  qualifiedDay,
  qualifiedPeriods,
  requirementProgress,
  ruleInForce,
  type TrainingRule,
} from "./rule";

const d = (iso: string) => parseIsoDay(iso)!;

const anyTraining: TrainingRule = {
  id: "r1",
  groupId: "g",
  kind: "ANY_TRAINING",
  minCount: null,
  courseCodes: [],
  schemeStartDay: d("2023-01-01"),
  validFromDay: d("2023-01-01"),
  createdAt: 0,
};

describe("isMemberOn", () => {
  it("counts from joined_on and stops on left_on", () => {
    const m = { joinedDay: d("2024-03-01"), leftDay: d("2024-09-01") };
    expect(isMemberOn(m, d("2024-02-29"))).toBe(false);
    expect(isMemberOn(m, d("2024-03-01"))).toBe(true);
    expect(isMemberOn(m, d("2024-08-31"))).toBe(true);
    expect(isMemberOn(m, d("2024-09-01"))).toBe(false);
    expect(isMemberOn({ joinedDay: null, leftDay: null }, d("1990-01-01"))).toBe(true);
  });
});

describe("the default rule: one record between scheme start and D", () => {
  const member = { joinedDay: null, leftDay: null };

  it("ignores training before the scheme start", () => {
    const records = [{ courseCode: "old", day: d("2022-12-31") }];
    expect(qualifiedDay(anyTraining, records)).toBeNull();
    expect(isTrainedOn(member, anyTraining, records, d("2025-01-01"))).toBe(false);
  });

  it("counts training on the scheme start day", () => {
    expect(qualifiedDay(anyTraining, [{ courseCode: "a", day: d("2023-01-01") }])).toBe(d("2023-01-01"));
  });

  it("does not count training after the as-of date", () => {
    const records = [{ courseCode: "a", day: d("2024-06-15") }];
    expect(isTrainedOn(member, anyTraining, records, d("2024-06-14"))).toBe(false);
    expect(isTrainedOn(member, anyTraining, records, d("2024-06-15"))).toBe(true);
  });

  it("counts a person trained before joining, from the day they join", () => {
    const joinsLater = { joinedDay: d("2024-05-01"), leftDay: null };
    const records = [{ courseCode: "a", day: d("2023-10-10") }];
    expect(isTrainedOn(joinsLater, anyTraining, records, d("2024-04-30"))).toBe(false);
    expect(isTrainedOn(joinsLater, anyTraining, records, d("2024-05-01"))).toBe(true);
  });

  it("does not count a person who left before the as-of date", () => {
    const left = { joinedDay: null, leftDay: d("2024-01-31") };
    const records = [{ courseCode: "a", day: d("2023-10-10") }];
    expect(isTrainedOn(left, anyTraining, records, d("2024-01-30"))).toBe(true);
    expect(isTrainedOn(left, anyTraining, records, d("2024-02-01"))).toBe(false);
  });

  it("takes the earliest record in the window", () => {
    const records = [
      { courseCode: "b", day: d("2024-02-02") },
      { courseCode: "a", day: d("2022-05-05") },
      { courseCode: "c", day: d("2023-07-07") },
    ];
    expect(qualifiedDay(anyTraining, records)).toBe(d("2023-07-07"));
  });
});

describe("rules an admin can set", () => {
  it("MIN_COUNT counts different courses, the n-th first completion", () => {
    const rule = { ...anyTraining, kind: "MIN_COUNT" as const, minCount: 2 };
    const records = [
      { courseCode: "a", day: d("2023-03-01") },
      { courseCode: "a", day: d("2023-04-01") }, // the same course again: still one
      { courseCode: "b", day: d("2023-09-01") },
      { courseCode: "c", day: d("2023-06-01") },
    ];
    expect(qualifiedDay(rule, records)).toBe(d("2023-06-01"));
    expect(qualifiedDay({ ...rule, minCount: 3 }, records)).toBe(d("2023-09-01"));
    expect(qualifiedDay({ ...rule, minCount: 4 }, records)).toBeNull();
  });

  it("REQUIRED_COURSES needs every listed course, on the day the last one is done", () => {
    const rule = { ...anyTraining, kind: "REQUIRED_COURSES" as const, courseCodes: ["iccpr-intro", "cat-basics"] };
    const records = [
      { courseCode: "iccpr-intro", day: d("2023-05-01") },
      { courseCode: "other", day: d("2023-01-02") },
    ];
    expect(qualifiedDay(rule, records)).toBeNull();
    expect(qualifiedDay(rule, [...records, { courseCode: "cat-basics", day: d("2024-01-20") }])).toBe(d("2024-01-20"));
    expect(qualifiedDay({ ...rule, courseCodes: [] }, records)).toBeNull();
  });

  it("a later scheme start drops earlier records", () => {
    const rule = { ...anyTraining, schemeStartDay: d("2024-01-01") };
    expect(qualifiedDay(rule, [{ courseCode: "a", day: d("2023-12-31") }])).toBeNull();
  });

  it("picks the version in force on D, the first one before any", () => {
    const v1 = { ...anyTraining, id: "v1", validFromDay: d("2023-01-01"), createdAt: 1 };
    const v2 = { ...anyTraining, id: "v2", validFromDay: d("2025-01-01"), createdAt: 2 };
    const v3 = { ...anyTraining, id: "v3", validFromDay: d("2025-01-01"), createdAt: 3 };
    expect(ruleInForce([v2, v1], d("2022-06-01")).id).toBe("v1");
    expect(ruleInForce([v2, v1], d("2024-12-31")).id).toBe("v1");
    expect(ruleInForce([v3, v1, v2], d("2025-01-01")).id).toBe("v3");
  });
});

describe("assessCoverage", () => {
  const span = { schemeStartDay: d("2023-01-01"), deadlineDay: d("2028-12-31") };

  it("rounds the people still to train up: 70% of 11 is 8 people", () => {
    const a = assessCoverage({ headcount: 11, trained: 5, targetPercent: 70, day: d("2028-12-31"), ...span });
    expect(a.gap).toBe(3);
    expect(a.percent).toBe(45.5);
    expect(a.status).toBe("behind");
  });

  it("70% of 100 is 70 people, not 71", () => {
    expect(assessCoverage({ headcount: 100, trained: 0, targetPercent: 70, day: d("2026-01-01"), ...span }).gap).toBe(
      70,
    );
  });

  it("compares with the straight line from scheme start to deadline", () => {
    // 2026-01-01 is 1096 of 2191 days along: 50.0% of the way, so 50% expected for a 100% group.
    const day = d("2026-01-01");
    const onTrack = assessCoverage({ headcount: 10, trained: 6, targetPercent: 100, day, ...span });
    expect(onTrack.expectedPercent).toBe(50);
    expect(onTrack.status).toBe("on_track");
    expect(assessCoverage({ headcount: 10, trained: 4, targetPercent: 100, day, ...span }).status).toBe("behind");
    expect(assessCoverage({ headcount: 10, trained: 7, targetPercent: 70, day, ...span }).status).toBe("met");
    expect(assessCoverage({ headcount: 0, trained: 0, targetPercent: 70, day, ...span })).toMatchObject({
      percent: null,
      status: "no_headcount",
      gap: 0,
    });
  });
});

describe("a voided record", () => {
  const member = { joinedDay: d("2024-01-01"), leftDay: d("2026-01-01") };
  const records = [
    { courseCode: "a", day: d("2024-03-01"), voidDay: d("2024-06-10") },
    { courseCode: "b", day: d("2025-02-01") },
  ];

  it("counts from its day until the day it was voided, and not on that day", () => {
    expect(isTrainedOn(member, anyTraining, records, d("2024-02-29"))).toBe(false);
    expect(isTrainedOn(member, anyTraining, records, d("2024-06-09"))).toBe(true);
    expect(isTrainedOn(member, anyTraining, records, d("2024-06-10"))).toBe(false);
    expect(isTrainedOn(member, anyTraining, records, d("2025-02-01"))).toBe(true);
  });

  it("gives periods that a later record opens again", () => {
    expect(qualifiedPeriods(anyTraining, records)).toEqual([
      { from: d("2024-03-01"), to: d("2024-06-10") },
      { from: d("2025-02-01"), to: null },
    ]);
    expect(
      qualifiedPeriods(anyTraining, [{ courseCode: "a", day: d("2024-03-01"), voidDay: d("2024-03-01") }]),
    ).toEqual([]);
  });

  it("cuts the membership into segments in which 'trained' only switches on", () => {
    const segments = membershipSegments(member, qualifiedPeriods(anyTraining, records));
    expect(segments).toEqual([
      { joinedDay: d("2024-01-01"), leftDay: d("2024-06-10"), qualifiedDay: d("2024-03-01") },
      { joinedDay: d("2024-06-10"), leftDay: d("2026-01-01"), qualifiedDay: d("2025-02-01") },
    ]);
    // A period that ended before the person joined cuts nothing and counts for nothing.
    expect(
      membershipSegments({ joinedDay: d("2024-07-01"), leftDay: null }, [
        { from: d("2024-03-01"), to: d("2024-06-10") },
      ]),
    ).toEqual([{ joinedDay: d("2024-07-01"), leftDay: null, qualifiedDay: null }]);
  });
});

describe("requirementProgress: what the rule asks of one person, in the rule's own terms", () => {
  const member = { joinedDay: null, leftDay: null };
  const minTwo: TrainingRule = { ...anyTraining, id: "r2", kind: "MIN_COUNT", minCount: 2 };
  const required: TrainingRule = {
    ...anyTraining,
    id: "r3",
    kind: "REQUIRED_COURSES",
    courseCodes: ["iccpr-intro", "crc-basics"],
  };
  const records = [
    { courseCode: "iccpr-intro", day: d("2024-05-01") },
    { courseCode: "iccpr-intro", day: d("2024-06-01") },
    { courseCode: "old-course", day: d("2022-12-31") },
    { courseCode: "cedaw-1", day: d("2024-07-01"), voidDay: d("2024-08-01") },
  ];

  it("counts different courses once, inside the scheme window, until a void", () => {
    expect(requirementProgress(minTwo, records, d("2024-07-15"))).toEqual({
      kind: "MIN_COUNT",
      needed: 2,
      counted: ["iccpr-intro", "cedaw-1"],
      missing: [],
      done: true,
    });
    // The voided record stops counting from its void day: one of two again.
    expect(requirementProgress(minTwo, records, d("2024-08-01"))).toEqual({
      kind: "MIN_COUNT",
      needed: 2,
      counted: ["iccpr-intro"],
      missing: [],
      done: false,
    });
    expect(requirementProgress(anyTraining, [], d("2024-08-01"))).toEqual({
      kind: "ANY_TRAINING",
      needed: 1,
      counted: [],
      missing: [],
      done: false,
    });
  });

  it("names the required courses still to do", () => {
    expect(requirementProgress(required, records, d("2024-09-01"))).toEqual({
      kind: "REQUIRED_COURSES",
      needed: 2,
      counted: ["iccpr-intro"],
      missing: ["crc-basics"],
      done: false,
    });
    expect(
      requirementProgress(required, [...records, { courseCode: "crc-basics", day: d("2024-09-01") }], d("2024-09-01"))
        .done,
    ).toBe(true);
  });

  it("says done exactly when isTrainedOn says trained", () => {
    const codes = ["a", "b", "c", "d"];
    const rules = [anyTraining, minTwo, { ...minTwo, minCount: 3 }, { ...required, courseCodes: ["a", "c"] }];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            courseCode: fc.constantFrom(...codes),
            day: fc.integer({ min: d("2022-06-01"), max: d("2025-01-01") }),
            voidDay: fc.option(fc.integer({ min: d("2022-06-01"), max: d("2025-06-01") })),
          }),
          { maxLength: 8 },
        ),
        fc.integer({ min: 0, max: rules.length - 1 }),
        fc.integer({ min: d("2022-06-01"), max: d("2025-06-01") }),
        (events, which, day) => {
          const rule = rules[which]!;
          expect(requirementProgress(rule, events, day).done).toBe(isTrainedOn(member, rule, events, day));
        },
      ),
    );
  });
});
