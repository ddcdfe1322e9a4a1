import webvtt from "webvtt-parser";

const { WebVTTParser } = webvtt;

export type CaptionCheck = { ok: true; cueCount: number } | { ok: false; line: number | null; message: string };

/** Validates a WebVTT file with a real parser; the first error carries its line number. */
export function checkWebVtt(text: string): CaptionCheck {
  const parser = new WebVTTParser();
  const tree = parser.parse(text.replace(/^\uFEFF/, ""), "subtitles");
  const first = tree.errors[0];
  if (first) return { ok: false, line: first.line ?? null, message: first.message };
  if (tree.cues.length === 0) return { ok: false, line: null, message: "the file has no cues" };
  return { ok: true, cueCount: tree.cues.length };
}
