// When each slide's narration starts, and the rate and pauses that make a lesson 3–5 minutes.
import { MAX_LESSON_SECONDS, MIN_LESSON_SECONDS } from "~/media/lesson-duration";
import {
  AIM,
  AIM_MAX,
  AIM_MIN,
  BASE_RATE,
  FPS,
  LEAD_IN,
  LessonError,
  MAX_PAUSE,
  MAX_RATE,
  MIN_RATE,
  PAUSE,
  TAIL,
} from "./settings";
import { pcmSeconds, silence, type Pcm } from "./wav";

export interface Timing {
  rate: number;
  pause: number;
  pcms: Pcm[];
  durations: number[];
  starts: number[]; // when each section's speech starts
  total: number;
}

/** Speaks the sections at a rate (words per minute); espeak-ng in the script, a stand-in in tests. */
export type Speak = (rate: number) => Promise<Pcm[]>;

export function timingFor(rate: number, pause: number, pcms: Pcm[]): Timing {
  const durations = pcms.map(pcmSeconds);
  const starts: number[] = [];
  let t = LEAD_IN;
  durations.forEach((d, i) => {
    starts.push(t);
    t += d + (i < durations.length - 1 ? pause : TAIL);
  });
  // Whole number of frames, so audio and video end together.
  const total = Math.ceil(t * FPS) / FPS;
  return { rate, pause, pcms, durations, starts, total };
}

export async function chooseTiming(sections: string[], speak: Speak, where: string): Promise<Timing> {
  let best = timingFor(BASE_RATE, PAUSE, await speak(BASE_RATE));
  if (best.total < AIM_MIN || best.total > AIM_MAX) {
    // Speech time is roughly inversely proportional to the espeak rate.
    const speech = best.durations.reduce((a, b) => a + b, 0);
    const fixed = best.total - speech;
    const rate = Math.min(MAX_RATE, Math.max(MIN_RATE, Math.round((BASE_RATE * speech) / (AIM - fixed))));
    if (rate !== BASE_RATE) {
      const retry = timingFor(rate, PAUSE, await speak(rate));
      if (Math.abs(retry.total - AIM) < Math.abs(best.total - AIM)) best = retry;
    }
  }
  if (best.total < MIN_LESSON_SECONDS && sections.length > 1) {
    // Still short: lengthen the pauses between slides, within limits.
    const extra = (MIN_LESSON_SECONDS - best.total) / (sections.length - 1) + 0.05;
    best = timingFor(best.rate, Math.min(MAX_PAUSE, PAUSE + extra), best.pcms);
  }
  if (best.total < MIN_LESSON_SECONDS) {
    const missing = Math.ceil(MIN_LESSON_SECONDS + 20 - best.total);
    throw new LessonError(
      `${where}: narration too short (${best.total.toFixed(1)} s at rate ${best.rate}, ` +
        `${best.pause.toFixed(1)} s pauses; minimum ${MIN_LESSON_SECONDS} s). ` +
        `Write about ${Math.ceil(missing * 3)} more words in transcript.md.`,
    );
  }
  if (best.total > MAX_LESSON_SECONDS) {
    throw new LessonError(
      `${where}: narration too long (${best.total.toFixed(1)} s at rate ${best.rate}; ` +
        `maximum ${MAX_LESSON_SECONDS} s). Shorten transcript.md.`,
    );
  }
  return best;
}

/** Slide i is shown from the start of its narration (slide 1 from 0) until slide i+1. */
export function slideFrames(timing: Timing, where: string): { cueFrames: number[]; totalFrames: number } {
  const cueFrames = timing.starts.map((s, i) => (i === 0 ? 0 : Math.round(s * FPS)));
  const totalFrames = Math.round(timing.total * FPS);
  for (let i = 1; i < cueFrames.length; i++) {
    if ((cueFrames[i] ?? 0) <= (cueFrames[i - 1] ?? 0)) throw new LessonError(`${where}: slide ${i + 1} has no time`);
  }
  return { cueFrames, totalFrames };
}

/** The sections' speech end to end with the chosen pauses, cut or padded to the video's length. */
export function narration(timing: Timing, totalFrames: number, where: string): Pcm {
  const first = timing.pcms[0];
  if (!first) throw new LessonError(`${where}: no narration`);
  const parts: Buffer[] = [silence(first, LEAD_IN)];
  timing.pcms.forEach((pcm, i) => {
    if (pcm.sampleRate !== first.sampleRate || pcm.channels !== first.channels || pcm.bits !== first.bits) {
      throw new LessonError(`${where}: espeak-ng produced inconsistent WAV formats`);
    }
    parts.push(pcm.data, silence(first, i < timing.pcms.length - 1 ? timing.pause : TAIL));
  });
  const audio = Buffer.concat(parts);
  const wantBytes = Math.round((totalFrames / FPS) * first.sampleRate) * first.channels * (first.bits / 8);
  const data =
    audio.length >= wantBytes
      ? audio.subarray(0, wantBytes)
      : Buffer.concat([audio, Buffer.alloc(wantBytes - audio.length)]);
  return { ...first, data };
}
