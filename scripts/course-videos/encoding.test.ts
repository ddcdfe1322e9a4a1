import { describe, expect, it } from "vitest";
import { concatList, drawtextFilter } from "./encoding";
import { FONT_BOLD } from "./settings";

describe("concatList", () => {
  it("shows each slide until the next cue, the last until the end, and repeats the last file", () => {
    // 5 frames a second: frames 0, 50 and 120 of 200.
    expect(concatList(["/t/a.png", "/t/b.png", "/t/c.png"], [0, 50, 120], 200)).toBe(
      "ffconcat version 1.0\nfile '/t/a.png'\nduration 10.000\nfile '/t/b.png'\nduration 14.000\nfile '/t/c.png'\nduration 16.000\nfile '/t/c.png'\n",
    );
  });

  it("refuses a path that would break the filter syntax", () => {
    expect(() => concatList(["/t/it's.png"], [0], 10)).toThrow("path not usable inside an ffmpeg filter graph");
  });
});

describe("drawtextFilter", () => {
  it("reads the text from a file and places it by its baseline", () => {
    const filter = drawtextFilter(
      { text: "x: 'y'", bold: true, size: 44, color: "0x1F3A5F", x: "80", baseline: 96 },
      "/tmp/s0-t0.txt",
    );
    expect(filter).toBe(
      `drawtext=fontfile=${FONT_BOLD}:textfile=/tmp/s0-t0.txt:expansion=none:fontsize=44:fontcolor=0x1F3A5F:x=80:y=96-ascent`,
    );
  });
});
