import { describe, expect, it } from "vitest";
import { buildVtt, captionPhrases, escapeVtt, fmtVttTime } from "./captions";

describe("fmtVttTime", () => {
  it("writes hours, minutes, seconds and milliseconds", () => {
    expect(fmtVttTime(0)).toBe("00:00:00.000");
    expect(fmtVttTime(3723.4567)).toBe("01:02:03.457");
    expect(fmtVttTime(-1)).toBe("00:00:00.000");
  });
});

describe("captionPhrases", () => {
  it("gives one phrase per short sentence", () => {
    expect(captionPhrases("Xin chào. Hôm nay học gì? Quyền trẻ em!")).toEqual([
      "Xin chào.",
      "Hôm nay học gì?",
      "Quyền trẻ em!",
    ]);
  });

  it("splits a long sentence at commas, then between words, never over 90 characters", () => {
    const clause = "trẻ em có quyền được bảo vệ khỏi mọi hình thức bạo lực";
    const long = `${clause}, ${clause}, ${clause}, ${"rất dài ".repeat(20).trim()}.`;
    const phrases = captionPhrases(long);
    expect(phrases.length).toBeGreaterThan(2);
    for (const p of phrases) expect(p.length).toBeLessThanOrEqual(90);
    expect(phrases.join(" ")).toBe(long);
  });
});

describe("escapeVtt", () => {
  it("escapes markup, so a cue arrow in the text cannot end the timing line", () => {
    expect(escapeVtt("a < b & c > d --> e")).toBe("a &lt; b &amp; c &gt; d --&gt; e");
  });
});

describe("buildVtt", () => {
  it("numbers the cues and shares each section's time by spoken length", () => {
    const vtt = buildVtt(["ab cd. ef gh ij kl."], { starts: [1], durations: [3] });
    expect(vtt).toBe(
      [
        "WEBVTT",
        "",
        "1",
        "00:00:01.000 --> 00:00:02.000",
        "ab cd.",
        "",
        "2",
        "00:00:02.000 --> 00:00:04.000",
        "ef gh ij kl.",
        "",
      ].join("\n"),
    );
  });

  it("weighs a phrase by how it is said, so an abbreviation spelled out gets more time", () => {
    const vtt = buildVtt(["Về CRC. Về trẻ."], { starts: [0], durations: [10] });
    const [, first] = /(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\nVề CRC\./.exec(vtt) ?? [];
    expect(first).toBe("00:00:00.000");
    expect(vtt).toMatch(/--> 00:00:0[6-9]\.\d{3}\nVề CRC\./);
  });
});
