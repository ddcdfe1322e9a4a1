import { describe, expect, it } from "vitest";
import { parseAuditDetails } from "~/audit/audit.server";
import { parseSlideCues } from "~/catalog/slides";
import { parseCourseCodes } from "~/coverage/facts.server";
import { parseStoredFailure, parseStoredProblems } from "~/coverage/imports.server";
import { parseEvidence } from "~/coverage/provenance";
import { parseIntervals } from "~/learning/progress.server";
import { parseStoredDraw, parseStoredQuiz } from "~/learning/quiz";
import { parseStoredAnswers } from "~/learning/quiz.server";
import { parseRefusal } from "~/media/refusals";
import { parseStoredJson, parseStoredJsonOr, StoredJsonError } from "./stored-json";
import { z } from "zod";

// Each JSON column's parse function, given what it stores, a value that is not
// JSON, and JSON of the wrong shape: it either reads a safe default or throws a
// StoredJsonError naming the column, never a bare SyntaxError or ZodError.

const quiz = {
  passMark: 80,
  questions: [
    {
      id: "q1",
      kind: "single",
      prompt: "Which?",
      options: [
        { id: "a", text: "A", correct: true },
        { id: "b", text: "B", correct: false },
      ],
    },
  ],
};

type Case = {
  column: string;
  parse: (text: string) => unknown;
  good: string;
  expected: unknown;
  wrongShape: string;
  corrupt: "throws" | { default: unknown };
};

const cases: Case[] = [
  {
    column: "Lesson.slideCues",
    parse: parseSlideCues,
    good: "[0,12.5,40]",
    expected: [0, 12.5, 40],
    wrongShape: '["a"]',
    corrupt: { default: [] },
  },
  {
    column: "Lesson.quiz",
    parse: parseStoredQuiz,
    good: JSON.stringify(quiz),
    expected: expect.objectContaining({ passMark: 80 }),
    wrongShape: '{"passMark":"x"}',
    corrupt: "throws",
  },
  {
    column: "MediaUpload.refusal",
    parse: parseRefusal,
    good: '{"code":"tooLong","values":{"max":300}}',
    expected: { code: "tooLong", values: { max: 300 } },
    wrongShape: '{"code":"noSuchCode"}',
    corrupt: { default: null },
  },
  {
    column: "LessonProgress.watchedIntervals",
    parse: parseIntervals,
    good: "[[0,10],[20,30]]",
    expected: [
      [0, 10],
      [20, 30],
    ],
    wrongShape: "[[0]]",
    corrupt: "throws",
  },
  {
    column: "QuizAttempt.answers",
    parse: parseStoredAnswers,
    good: '{"q1":["a"]}',
    expected: { q1: ["a"] },
    wrongShape: '{"q1":"a"}',
    corrupt: { default: {} },
  },
  {
    column: "QuizDraw.draw",
    parse: parseStoredDraw,
    good: '[{"questionId":"q1","optionIds":["b","a"]}]',
    expected: [{ questionId: "q1", optionIds: ["b", "a"] }],
    wrongShape: "[]",
    corrupt: { default: null },
  },
  {
    column: "TargetGroupRule.courseCodes",
    parse: parseCourseCodes,
    good: '["CRC-1","cat-2"]',
    expected: ["crc-1", "cat-2"],
    wrongShape: '{"a":1}',
    corrupt: { default: [] },
  },
  {
    column: "TrainingRecord.evidence",
    parse: parseEvidence,
    good: '{"takenAt":"2026-01-01","viewSeconds":30,"lessons":[]}',
    expected: { takenAt: "2026-01-01", viewSeconds: 30, lessons: [] },
    wrongShape: '{"takenAt":1}',
    corrupt: { default: null },
  },
  {
    column: "DataImport.rejectProblems",
    parse: parseStoredProblems,
    good: '{"email":2}',
    expected: { email: 2 },
    wrongShape: '{"email":-1}',
    corrupt: { default: {} },
  },
  {
    column: "DataImport.message",
    parse: parseStoredFailure,
    good: '{"reason":"unexpected","params":{}}',
    expected: { reason: "unexpected", params: {} },
    wrongShape: '{"reason":3}',
    corrupt: { default: null },
  },
  {
    column: "AuditEvent.details",
    parse: parseAuditDetails,
    good: '{"file":"a.csv","rows":3}',
    expected: { file: "a.csv", rows: 3 },
    wrongShape: "[1,2]",
    corrupt: { default: {} },
  },
];

describe.each(cases)("$column", ({ column, parse, good, expected, wrongShape, corrupt }) => {
  it("reads what it stores", () => {
    expect(parse(good)).toEqual(expected);
  });
  for (const [what, text] of [
    ["text that is not JSON", "{not json"],
    ["JSON of the wrong shape", wrongShape],
  ] as const) {
    if (corrupt === "throws") {
      it(`throws a clear error on ${what}`, () => {
        expect(() => parse(text)).toThrow(StoredJsonError);
        expect(() => parse(text)).toThrow(column);
      });
    } else {
      it(`reads ${what} as its default`, () => {
        expect(parse(text)).toEqual(corrupt.default);
      });
    }
  }
});

describe("parseStoredJson", () => {
  const schema = z.array(z.number());
  it("names the column and the problem", () => {
    expect(() => parseStoredJson("T.c", schema, '["x"]')).toThrow(/^T\.c: the stored value is not readable \(0: /);
  });
  it("does not swallow errors other than an unreadable value", () => {
    const boom = z.string().transform(() => {
      throw new RangeError("bug");
    });
    expect(() => parseStoredJsonOr("T.c", boom, '"x"', null)).toThrow(RangeError);
  });
});
