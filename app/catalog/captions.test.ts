import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { i18nOptions, resources } from "~/i18n";
import { CAPTION_PROBLEMS, captionProblemOf, checkWebVtt } from "./captions";

// A trainer reads what is wrong with a caption file in their language: each
// of the parser's English messages is one of our problems, translated.

const parserSource = readFileSync(createRequire(import.meta.url).resolve("webvtt-parser"), "utf8");
const parserMessages = [...parserSource.matchAll(/err\("((?:[^"\\]|\\.)*)"\)/g)]
  .map((m) => m[1]!.replace(/\\"/g, '"'))
  .filter((m) => m !== "Never happens.");

describe("caption problems", () => {
  it("every message the parser can give is one of our problems", () => {
    expect(parserMessages.length).toBeGreaterThan(40);
    const unmatched = parserMessages.filter((message) => captionProblemOf(message) === "unreadable");
    expect(unmatched).toEqual([]);
    expect(captionProblemOf("Something a later version says.")).toBe("unreadable");
  });

  it("every problem has a Vietnamese and an English sentence", () => {
    for (const problem of CAPTION_PROBLEMS) {
      expect(resources.vi.teach.captions.problem[problem], problem).toBeTruthy();
      expect(resources.en.teach.captions.problem[problem], problem).toBeTruthy();
    }
  });

  it("says the problem and its line in the trainer's language, one full stop at the end", async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ ...i18nOptions, lng: "vi" });
    const broken = checkWebVtt("WEBVTT\n\n00:00.000 --> 00:03.000\nMột.\n\n00:0x.000 --> 00:06.000\nHai.\n");
    expect(broken).toEqual({ ok: false, line: 6, problem: "badTimestamp" });
    const vi = i18n.getFixedT("vi", "teach")("captions.invalidAt", { line: 6, message: "badTimestamp" });
    expect(vi).toBe(
      "Tệp WebVTT không hợp lệ ở dòng 6: thời gian phải viết dạng giờ:phút:giây.phần nghìn giây, ví dụ 00:01:05.000. Không có gì thay đổi.",
    );
    const en = i18n.getFixedT("en", "teach")("captions.invalid", { message: "noCues" });
    expect(en).toBe("This is not a valid WebVTT file: the file has no cues. Nothing was changed.");
    for (const lang of ["vi", "en"]) {
      for (const problem of CAPTION_PROBLEMS) {
        const text = i18n.getFixedT(lang, "teach")("captions.invalidAt", { line: 3, message: problem });
        expect(text).not.toMatch(/\.\.|\$t\(|captions\.problem/);
      }
    }
    expect(checkWebVtt("1\n00:00:00,000 --> 00:00:03,000\nSRT\n")).toMatchObject({
      ok: false,
      line: 1,
      problem: "noSignature",
    });
    expect(checkWebVtt("WEBVTT\n")).toEqual({ ok: false, line: null, problem: "noCues" });
  });
});
