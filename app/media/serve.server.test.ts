import { describe, expect, it } from "vitest";
import { checkLessonDuration } from "./lesson-duration";
import { parseRange } from "./serve.server";

describe("parseRange", () => {
  it("reads start-end, open-ended and suffix ranges", () => {
    expect(parseRange("bytes=0-99", 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange("bytes=900-", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange("bytes=-100", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange("bytes=0-5000", 1000)).toEqual({ start: 0, end: 999 });
    expect(parseRange(null, 1000)).toBeNull();
  });
  it("rejects unsatisfiable or malformed ranges", () => {
    for (const header of ["bytes=1000-", "bytes=50-10", "items=0-1", "bytes=-", "bytes=-0", "bytes=0-1,5-6"]) {
      expect(parseRange(header, 1000)).toBe("invalid");
    }
  });
});

describe("checkLessonDuration", () => {
  it("accepts 3:00 to 5:00 and says what it measured otherwise", () => {
    expect(checkLessonDuration(179.9)).toEqual({ ok: false, reason: "too_short", measured: "2:59" });
    expect(checkLessonDuration(180)).toEqual({ ok: true });
    expect(checkLessonDuration(300.9)).toEqual({ ok: true });
    expect(checkLessonDuration(301)).toEqual({ ok: false, reason: "too_long", measured: "5:01" });
  });
});
