import { describe, expect, it } from "vitest";
import { FPS, LEAD_IN, PAUSE, TAIL } from "./settings";
import { chooseTiming, narration, slideFrames, timingFor } from "./timing";
import type { Pcm } from "./wav";

const RATE = 100; // samples a second, to keep buffers small

function speech(seconds: number): Pcm {
  return { sampleRate: RATE, channels: 1, bits: 16, data: Buffer.alloc(Math.round(seconds * RATE) * 2, 1) };
}

/** A stand-in for espeak-ng: speech time inversely proportional to the rate, as the script assumes. */
function speaker(secondsAt145: number[], rates: number[] = []) {
  return async (rate: number) => {
    rates.push(rate);
    return secondsAt145.map((s) => speech((s * 145) / rate));
  };
}

describe("timingFor", () => {
  it("lays the sections end to end after the lead-in, with pauses and a tail, on whole frames", () => {
    const timing = timingFor(145, PAUSE, [speech(10), speech(20)]);
    expect(timing.starts).toEqual([LEAD_IN, LEAD_IN + 10 + PAUSE]);
    expect(timing.total).toBeCloseTo(Math.ceil((LEAD_IN + 10 + PAUSE + 20 + TAIL) * FPS) / FPS);
  });
});

describe("chooseTiming", () => {
  it("keeps the base rate when the lesson lands within 200–260 s", async () => {
    const rates: number[] = [];
    const timing = await chooseTiming(["a", "b"], speaker([110, 110], rates), "w");
    expect(rates).toEqual([145]);
    expect(timing.rate).toBe(145);
  });

  it("speaks again at a rate aiming for 230 s when the lesson is off the aim", async () => {
    const rates: number[] = [];
    const timing = await chooseTiming(["a", "b"], speaker([95, 95], rates), "w");
    expect(rates[0]).toBe(145);
    expect(rates[1]).toBeLessThan(145);
    expect(timing.total).toBeGreaterThan(200);
  });

  it("says how many words to add when even slower speech and longer pauses are too short", async () => {
    await expect(chooseTiming(["a", "b"], speaker([50, 50]), "lesson")).rejects.toThrow(
      /^lesson: narration too short .* Write about \d+ more words in transcript\.md\.$/,
    );
  });

  it("asks to shorten the transcript when the lesson is over 300 s", async () => {
    await expect(chooseTiming(["a"], speaker([400]), "lesson")).rejects.toThrow("Shorten transcript.md.");
  });
});

describe("slideFrames and narration", () => {
  const timing = timingFor(145, PAUSE, [speech(100), speech(110)]);

  it("shows slide 1 from frame 0 and each later slide from the start of its narration", () => {
    const { cueFrames, totalFrames } = slideFrames(timing, "w");
    expect(cueFrames).toEqual([0, Math.round((LEAD_IN + 100 + PAUSE) * FPS)]);
    expect(totalFrames).toBe(Math.round(timing.total * FPS));
  });

  it("makes audio exactly as long as the video", () => {
    const { totalFrames } = slideFrames(timing, "w");
    const audio = narration(timing, totalFrames, "w");
    expect(audio.data.length).toBe(Math.round((totalFrames / FPS) * RATE) * 2);
    // Speech starts after the lead-in silence.
    expect(audio.data.readInt16LE(0)).toBe(0);
    expect(audio.data.readInt16LE(2 * Math.round(LEAD_IN * RATE))).not.toBe(0);
  });

  it("refuses speech in different formats", () => {
    const mixed = timingFor(145, PAUSE, [speech(100), { ...speech(110), sampleRate: 200 }]);
    expect(() => narration(mixed, 1000, "w")).toThrow("w: espeak-ng produced inconsistent WAV formats");
  });
});
