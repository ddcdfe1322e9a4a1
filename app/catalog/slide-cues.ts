// Kept free of zod and server code: the slide viewer ships this to browsers.

/** The slide (0-based) showing at `time` seconds, or null when the lesson has no cues. */
export function slideAt(cues: readonly number[], time: number): number | null {
  if (cues.length === 0) return null;
  let index = 0;
  for (let i = 0; i < cues.length; i++) if (cues[i]! <= time) index = i;
  return index;
}

/**
 * Cue times belong to a deck: they fit one of `slideCount` slides, or there are
 * none. When a new deck has another number of slides the cues are cleared rather
 * than left pointing at the wrong slides (trainer's edits, PDF uploads, course files).
 */
export function cuesFitDeck(cues: readonly number[], slideCount: number): boolean {
  return cues.length === 0 || cues.length === slideCount;
}
