import { describe, expect, it } from "vitest";
import { checkLessonDuration } from "~/media/lesson-duration";
import { formatCue } from "~/teach/cue-times";
import { formatClock } from "./format";

describe("formatClock", () => {
  it("writes m:ss rounded down to the second", () => {
    expect(formatClock(0)).toBe("0:00");
    expect(formatClock(207.9)).toBe("3:27");
    expect(formatClock(312)).toBe("5:12");
    expect(formatClock(3725)).toBe("62:05");
    expect(formatClock(-3)).toBe("0:00");
  });

  it("is the clock that the duration rule and the cue editor print", () => {
    for (const seconds of [0, 59, 60, 179.9, 301, 312.4, 3725]) {
      const check = checkLessonDuration(seconds);
      if (!check.ok) expect(check.measured).toBe(formatClock(seconds));
      expect(formatCue(Math.floor(seconds))).toBe(formatClock(seconds));
    }
    expect(formatCue(83.5)).toBe(`${formatClock(83)}.5`);
  });
});
