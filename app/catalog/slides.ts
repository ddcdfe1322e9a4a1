import { marked, type Token } from "marked";
import { z } from "zod";
import { parseStoredJsonOr } from "~/utils/stored-json";
import { cuesFitDeck } from "./slide-cues";

/**
 * Every section of a deck or transcript, trimmed, empty ones included: the
 * sections are separated by a line holding only `---`. The video script
 * (scripts/course-videos/slides.ts) refuses an empty one; the app skips it.
 */
export function slideSections(markdown: string): string[] {
  return markdown
    .replace(/\r\n/g, "\n")
    .split(/^---[ \t]*$/m)
    .map((section) => section.trim());
}

/** A Markdown deck's slides. */
export function splitSlides(markdown: string): string[] {
  return slideSections(markdown).filter((slide) => slide.length > 0);
}

// An image from another server would tell it who opens the lesson, and when
// (and the Content-Security-Policy refuses to show it anyway): decks carry
// their pictures inline (data:) or take them from this platform (/path).
const HTML_IMG_SRC = /<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

function isOwnImage(src: string): boolean {
  const trimmed = src.trim();
  if (/^data:image\//i.test(trimmed)) return true;
  // A scheme (https:, http:, javascript:) or a protocol-relative //host is another origin.
  return !/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !trimmed.startsWith("//") && !trimmed.startsWith("\\");
}

/** The image addresses in a Markdown deck that point to another server; empty when there are none. */
export function remoteImages(markdown: string): string[] {
  const sources: string[] = [];
  marked.walkTokens(marked.lexer(markdown, { gfm: true }), (token: Token) => {
    if (token.type === "image") sources.push(token.href);
    if (token.type === "html")
      for (const m of token.text.matchAll(HTML_IMG_SRC)) sources.push(m[1] ?? m[2] ?? m[3] ?? "");
  });
  return [...new Set(sources.filter((src) => !isOwnImage(src)))];
}

/** Transcripts share the deck's separator (one section per slide); learners see plain paragraphs. */
export function transcriptParagraphs(transcript: string): string[] {
  return splitSlides(transcript).flatMap((section) =>
    section
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean),
  );
}

/**
 * Slide cue times: slide N starts at cues[N-1] seconds. The first slide starts
 * at 0, each later one strictly after the previous, all before the video ends.
 */
export const SlideCuesSchema = z
  .array(z.number().finite().min(0))
  .refine((cues) => cues.length === 0 || cues[0] === 0, { message: "the first slide must start at 0" })
  .refine((cues) => cues.every((t, i) => i === 0 || t > cues[i - 1]!), {
    message: "cue times must increase from one slide to the next",
  });

/**
 * Lesson.slideCues as stored. Read with the plain shape, not SlideCuesSchema's
 * order rules, so cues stored before a rule changed still read as they were.
 * A corrupt value reads as no cues: the lesson still plays, its slides just
 * do not follow the video until the trainer records the cues again.
 */
const StoredSlideCues = z.array(z.number().min(0));

export function parseSlideCues(text: string): number[] {
  return parseStoredJsonOr("Lesson.slideCues", StoredSlideCues, text, []);
}

export function serializeSlideCues(cues: readonly number[]): string {
  return JSON.stringify(cues);
}

export type CueProblem =
  | { code: "firstNotZero" }
  | { code: "notIncreasing" }
  | { code: "countMismatch"; slides: number; cues: number }
  | { code: "pastEnd"; duration: number };

/** What is wrong with a lesson's cue times, as a code a page can translate; null when nothing is. */
export function cueProblem(cues: number[], slideCount: number, durationSeconds: number | null): CueProblem | null {
  if (cues.some((t) => !Number.isFinite(t) || t < 0)) return { code: "notIncreasing" };
  if (cues.length > 0 && cues[0] !== 0) return { code: "firstNotZero" };
  if (cues.some((t, i) => i > 0 && t <= cues[i - 1]!)) return { code: "notIncreasing" };
  if (!cuesFitDeck(cues, slideCount)) return { code: "countMismatch", slides: slideCount, cues: cues.length };
  if (durationSeconds !== null && cues.some((t) => t >= durationSeconds))
    return { code: "pastEnd", duration: durationSeconds };
  return null;
}

export function validateCues(cues: number[], slideCount: number, durationSeconds: number | null): string | null {
  const problem = cueProblem(cues, slideCount, durationSeconds);
  if (!problem) return null;
  switch (problem.code) {
    case "firstNotZero":
      return "the first slide must start at 0";
    case "notIncreasing":
      return "cue times must increase from one slide to the next";
    case "countMismatch":
      return `there are ${problem.slides} slides but ${problem.cues} cue times`;
    case "pastEnd":
      return `a cue time is past the end of the video (${problem.duration.toFixed(1)} s)`;
  }
}
