import { describe, expect, it } from "vitest";
import { slideAt } from "./slide-cues";
import { splitSlides, transcriptParagraphs, validateCues } from "./slides";

describe("slides", () => {
  it("splits a deck on lines holding only ---", () => {
    expect(splitSlides("# A\n\n---\n# B\ntext --- not a break\n---  \n\n# C")).toEqual(["# A", "# B\ntext --- not a break", "# C"]);
  });
  it("turns transcript sections into paragraphs", () => {
    expect(transcriptParagraphs("Một.\n\nHai.\n---\nBa.")).toEqual(["Một.", "Hai.", "Ba."]);
  });
  it("validates cue times against slides and duration", () => {
    expect(validateCues([0, 30, 60], 3, 200)).toBeNull();
    expect(validateCues([], 3, 200)).toBeNull();
    expect(validateCues([5, 30], 2, 200)).toMatch(/first slide/);
    expect(validateCues([0, 30, 30], 3, 200)).toMatch(/increase/);
    expect(validateCues([0, 30], 3, 200)).toMatch(/3 slides but 2/);
    expect(validateCues([0, 250], 2, 200)).toMatch(/past the end/);
  });
  it("finds the slide showing at a time", () => {
    expect(slideAt([0, 30, 60], 0)).toBe(0);
    expect(slideAt([0, 30, 60], 45)).toBe(1);
    expect(slideAt([0, 30, 60], 500)).toBe(2);
    expect(slideAt([], 10)).toBeNull();
  });
});
