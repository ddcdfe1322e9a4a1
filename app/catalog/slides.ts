import { z } from "zod";

/** A Markdown deck: slides are separated by a line holding only `---`. */
export function splitSlides(markdown: string): string[] {
  return markdown
    .replace(/\r\n/g, "\n")
    .split(/^---[ \t]*$/m)
    .map((slide) => slide.trim())
    .filter((slide) => slide.length > 0);
}

/** Transcripts share the deck's separator (one section per slide); learners see plain paragraphs. */
export function transcriptParagraphs(transcript: string): string[] {
  return splitSlides(transcript).flatMap((section) => section.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean));
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

export function validateCues(cues: number[], slideCount: number, durationSeconds: number | null): string | null {
  const parsed = SlideCuesSchema.safeParse(cues);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? "invalid cue times";
  if (cues.length > 0 && cues.length !== slideCount) {
    return `there are ${slideCount} slides but ${cues.length} cue times`;
  }
  if (durationSeconds !== null && cues.some((t) => t >= durationSeconds)) {
    return `a cue time is past the end of the video (${durationSeconds.toFixed(1)} s)`;
  }
  return null;
}

