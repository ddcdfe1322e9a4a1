import { describe, expect, it } from "vitest";
import { parseWav, pcmSeconds, silence, trimSilence, wavBytes, type Pcm } from "./wav";

function pcm16(samples: number[], sampleRate = 1000): Pcm {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(s, 2 * i));
  return { sampleRate, channels: 1, bits: 16, data };
}

describe("WAV files", () => {
  it("reads back what it writes", () => {
    const pcm = pcm16([0, 1000, -1000, 0]);
    expect(parseWav(wavBytes(pcm), "x.wav")).toEqual(pcm);
  });

  it("reads espeak-ng's streamed output, whose data size is left at 0", () => {
    const bytes = wavBytes(pcm16([5, 6, 7]));
    bytes.writeUInt32LE(0, 40);
    expect(parseWav(bytes, "x.wav").data.length).toBe(6);
  });

  it("refuses what is not a PCM WAV file", () => {
    expect(() => parseWav(Buffer.from("not a wav at all"), "x.wav")).toThrow("x.wav: not a WAV file");
  });
});

describe("trimSilence", () => {
  it("keeps 50 ms of quiet around the loud part", () => {
    // 1000 Hz: 50 ms is 50 samples.
    const samples = [...Array(200).fill(0), ...Array(10).fill(5000), ...Array(200).fill(0)];
    const trimmed = trimSilence(pcm16(samples));
    expect(trimmed.data.length / 2).toBe(10 + 2 * 50);
  });
});

describe("durations", () => {
  it("measures PCM in seconds and makes silence of a given length", () => {
    const like = pcm16([], 22050);
    expect(silence(like, 0.5).length).toBe(22050);
    expect(pcmSeconds({ ...like, data: silence(like, 1.2) })).toBeCloseTo(1.2);
  });
});
