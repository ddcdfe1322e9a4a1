import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROME_RECORDED_SECONDS, forgeWebmDuration, realMedia } from "../../tests/fixtures/real-media";
import { verifiedMp4Seconds, type Mp4Timing, type Mp4TrackTiming } from "./mp4-boxes.server";
import { probeRefusal } from "./refusals";
import { opusPacketNs, probeVideo, ProbeError } from "./probe.server";

// Files from real encoders (tests/fixtures/media/make.sh), measured, then
// forged: the header bytes patched to claim 200 s for 3 s of frames.

const fixture = realMedia;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "probe-length-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function probeBytes(name: string, bytes: Buffer) {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return probeVideo(file);
}

async function refusalOf(name: string, bytes: Buffer): Promise<ProbeError> {
  const error = await probeBytes(name, bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProbeError);
  return error as ProbeError;
}

/** Every box of `type` in an MP4, found by its four letters: each payload starts after them. */
function boxPayloads(bytes: Buffer, type: string): number[] {
  const found: number[] = [];
  for (let at = bytes.indexOf(type, 0, "latin1"); at !== -1; at = bytes.indexOf(type, at + 1, "latin1"))
    found.push(at + 4);
  return found;
}

/** Sets the duration of every mvhd/mdhd to `seconds` in its own timescale (version 0: 32-bit times, 1: 64-bit). */
function forgeHeaderDuration(bytes: Buffer, type: "mvhd" | "mdhd", seconds: number): Buffer {
  const copy = Buffer.from(bytes);
  for (const payload of boxPayloads(copy, type)) {
    expect([0, 1]).toContain(copy[payload]);
    if (copy[payload] === 0) {
      copy.writeUInt32BE(seconds * copy.readUInt32BE(payload + 12), payload + 16);
    } else {
      copy.writeBigUInt64BE(BigInt(seconds * copy.readUInt32BE(payload + 20)), payload + 24);
    }
  }
  return copy;
}

describe("a video's length is measured from its frames", () => {
  it("an MP4 from libx264 + AAC lasts the 3 s it was encoded for", async () => {
    const probe = await probeBytes("real.mp4", await fixture("real-3s.mp4"));
    expect(probe).toMatchObject({ container: "mp4", hasAudio: true, width: 64, height: 36 });
    expect(probe.durationSeconds).toBeCloseTo(3, 2);
  });

  it("an MP4 whose movie header comes after the media data is measured the same", async () => {
    const probe = await probeBytes("moov-last.mp4", await fixture("real-3s-moov-last.mp4"));
    expect(probe.durationSeconds).toBeCloseTo(3, 2);
  });

  it("a fragmented MP4 (moof/trun) is measured from its fragments", async () => {
    const probe = await probeBytes("frag.mp4", await fixture("real-3s-frag.mp4"));
    // ffmpeg's AAC ends on a whole 1024-sample frame: ffprobe also says 3.2 s.
    expect(probe.durationSeconds).toBeCloseTo(3.2, 2);
  });

  it("an MP4 whose movie header (mvhd) claims 200 s is refused as inconsistent", async () => {
    const forged = forgeHeaderDuration(await fixture("real-3s.mp4"), "mvhd", 200);
    const error = await refusalOf("forged-mvhd.mp4", forged);
    expect(error.reason).toBe("inconsistent_duration");
    expect(probeRefusal(error)).toMatchObject({
      code: "durationMismatch",
      values: { declared: "3:20", measured: "0:03" },
    });
  });

  it("an MP4 whose movie, track and edit headers all claim 200 s is refused: the sample table says 3 s", async () => {
    let forged = forgeHeaderDuration(await fixture("real-3s.mp4"), "mvhd", 200);
    forged = forgeHeaderDuration(forged, "mdhd", 200);
    for (const payload of boxPayloads(forged, "elst")) forged.writeUInt32BE(200 * 1000, payload + 8);
    expect((await refusalOf("forged-all.mp4", forged)).reason).toBe("inconsistent_duration");
  });

  it("a sample table (stts) that lists more entries than its box holds is refused, not read past its box", async () => {
    const forged = Buffer.from(await fixture("real-3s.mp4"));
    for (const payload of boxPayloads(forged, "stts")) forged.writeUInt32BE(0xffffffff, payload + 4);
    expect((await refusalOf("huge-stts.mp4", forged)).reason).toBe("truncated");
  });

  it("a fragmented MP4 whose movie header claims 200 s is refused as inconsistent", async () => {
    const forged = forgeHeaderDuration(await fixture("real-3s-frag.mp4"), "mvhd", 200);
    expect((await refusalOf("forged-frag.mp4", forged)).reason).toBe("inconsistent_duration");
  });

  it("an MP4 whose edit list trims it to 1.5 s (and says so in mvhd) lasts 1.5 s: an edit may show less, not more", async () => {
    const trimmed = forgeHeaderDuration(await fixture("real-3s.mp4"), "mvhd", 1.5);
    for (const payload of boxPayloads(trimmed, "elst")) trimmed.writeUInt32BE(1500, payload + 8);
    expect((await probeBytes("trimmed.mp4", trimmed)).durationSeconds).toBeCloseTo(1.5, 3);
  });

  it("a WebM from libvpx + Opus lasts about the 3 s it was encoded for", async () => {
    const probe = await probeBytes("real.webm", await fixture("real-3s.webm"));
    expect(probe).toMatchObject({
      container: "webm",
      videoCodec: "V_VP8",
      audioCodec: "A_OPUS",
      width: 64,
      height: 36,
    });
    expect(probe.durationSeconds).toBeCloseTo(3.008, 2);
  });

  it("a WebM whose Info/Duration claims 200 s is refused as inconsistent", async () => {
    const forged = Buffer.from(await fixture("real-3s.webm"));
    // Duration: ID 0x4489, size 8, then a big-endian double in milliseconds (TimecodeScale 1 ms).
    const at = forged.indexOf(Buffer.from([0x44, 0x89, 0x88]));
    expect(at).toBeGreaterThan(0);
    forged.writeDoubleBE(200_000, at + 3);
    const error = await refusalOf("forged.webm", forged);
    expect(error.reason).toBe("inconsistent_duration");
    expect(probeRefusal(error)).toMatchObject({
      code: "durationMismatch",
      values: { declared: "3:20", measured: "0:03" },
    });
  });

  it("a WebM whose Info/Duration says 2 s less than its frames is refused too", async () => {
    const forged = Buffer.from(await fixture("real-3s.webm"));
    const at = forged.indexOf(Buffer.from([0x44, 0x89, 0x88]));
    forged.writeDoubleBE(1000, at + 3);
    expect((await refusalOf("short.webm", forged)).reason).toBe("inconsistent_duration");
  });
});

describe("files recorded by a browser (Chromium's MediaRecorder, record-chrome.mjs)", () => {
  it("a WebM without Info/Duration, of unknown-size Segment and Clusters, is measured from its blocks", async () => {
    const bytes = await fixture("chrome-3s.webm");
    expect(bytes.indexOf(Buffer.from([0x44, 0x89]))).toBe(-1); // no Duration: nothing to trust but the blocks
    const probe = await probeBytes("chrome.webm", bytes);
    expect(probe).toMatchObject({
      container: "webm",
      videoCodec: "V_VP8",
      audioCodec: "A_OPUS",
      width: 64,
      height: 36,
      hasAudio: true,
    });
    // The last Opus packet starts at 2.925 s and lasts 60 ms; the last picture's length is written nowhere.
    expect(probe.durationSeconds).toBeCloseTo(2.985, 3);
    expect(Math.abs(probe.durationSeconds - CHROME_RECORDED_SECONDS)).toBeLessThan(0.05);
  });

  it("the same WebM with an Info/Duration patched in to claim 200 s is refused as inconsistent", async () => {
    const forged = forgeWebmDuration(await fixture("chrome-3s.webm"), 200_000);
    const error = await refusalOf("chrome-forged.webm", forged);
    expect(error.reason).toBe("inconsistent_duration");
    expect(probeRefusal(error)).toMatchObject({
      code: "durationMismatch",
      values: { declared: "3:20", measured: "0:02" },
    });
  });

  it("the same WebM with an Info/Duration that tells the truth is accepted", async () => {
    const honest = forgeWebmDuration(await fixture("chrome-3s.webm"), 3001);
    expect((await probeBytes("chrome-honest.webm", honest)).durationSeconds).toBeCloseTo(3.001, 3);
  });

  it("a WebM cut short inside a cluster is refused as truncated", async () => {
    const bytes = await fixture("chrome-3s.webm");
    const lastCluster = bytes.lastIndexOf(Buffer.from([0x1f, 0x43, 0xb6, 0x75]));
    expect((await refusalOf("chrome-cut.webm", bytes.subarray(0, lastCluster + 40))).reason).toBe("truncated");
  });

  it("an H.264 MP4 from Chromium's own muxer (fragmented, version-1 headers) is measured from its fragments", async () => {
    const probe = await probeBytes("chrome.mp4", await fixture("chrome-3s-video.mp4"));
    expect(probe).toMatchObject({ container: "mp4", hasAudio: false, width: 64, height: 36 });
    expect(probe.videoCodec).toMatch(/^avc1\./);
    expect(probe.durationSeconds).toBeCloseTo(3.031, 3); // ffprobe: 3.03 s
    expect(Math.abs(probe.durationSeconds - CHROME_RECORDED_SECONDS)).toBeLessThan(0.05);
  });

  it("that MP4 with its movie header (mvhd) forged to 200 s is refused as inconsistent", async () => {
    const forged = forgeHeaderDuration(await fixture("chrome-3s-video.mp4"), "mvhd", 200);
    const error = await refusalOf("chrome-forged-mvhd.mp4", forged);
    expect(error.reason).toBe("inconsistent_duration");
    expect(probeRefusal(error)).toMatchObject({
      code: "durationMismatch",
      values: { declared: "3:20", measured: "0:03" },
    });
  });

  it("that MP4 with its track header (mdhd) forged to 200 s is refused: a fragmented file's track header may say less, not more", async () => {
    const forged = forgeHeaderDuration(await fixture("chrome-3s-video.mp4"), "mdhd", 200);
    expect((await refusalOf("chrome-forged-mdhd.mp4", forged)).reason).toBe("inconsistent_duration");
  });

  it("Chromium's MP4 with Opus sound is refused for its codec (MP4 sound must be AAC), not as damaged", async () => {
    const error = await refusalOf("chrome-opus.mp4", await fixture("chrome-3s-opus.mp4"));
    expect(error.reason).toBe("unsupported_codec");
  });
});

describe("an Opus packet's length, from its first byte (RFC 6716, 3.1)", () => {
  it.each([
    ["one 20 ms CELT frame", [0b11111_0_00], 20e6],
    ["three 20 ms CELT frames (code 3, count 3): what Chromium records", [0b11111_0_11, 3], 60e6],
    ["two 10 ms SILK frames (code 1)", [0b00000_0_01], 20e6],
    ["one 60 ms SILK frame", [0b00011_0_00], 60e6],
    ["one 20 ms hybrid frame", [0b01101_0_00], 20e6],
    ["one 2.5 ms CELT frame", [0b10000_0_00], 2.5e6],
  ])("%s", (_name, bytes, ns) => {
    expect(opusPacketNs(Uint8Array.from(bytes))).toBe(ns);
  });

  it("a packet too short to say is no length", () => {
    expect(opusPacketNs(new Uint8Array())).toBeNull();
    expect(opusPacketNs(Uint8Array.from([0b11111_0_11]))).toBeNull();
  });
});

describe("which MP4 header lengths agree with the samples", () => {
  const track = (over: Partial<Mp4TrackTiming>): Mp4TrackTiming => ({
    id: 1,
    handler: "vide",
    declaredSeconds: 240,
    samplesSeconds: 240,
    sampleCount: 7200,
    editSeconds: null,
    ...over,
  });
  const movie = (declaredSeconds: number | null, ...tracks: Mp4TrackTiming[]): Mp4Timing => ({
    topLevel: [],
    moov: { type: "moov", start: 0, dataStart: 8, end: 8 },
    fragmented: false,
    declaredSeconds,
    tracks,
  });
  const verdict = (timing: Mp4Timing) => {
    try {
      return verifiedMp4Seconds(timing);
    } catch (error) {
      return (error as ProbeError).reason;
    }
  };

  it("AAC priming and an audio delay well under a second are no disagreement", () => {
    const audio = track({
      id: 2,
      handler: "soun",
      declaredSeconds: 240.128,
      samplesSeconds: 240.128,
      editSeconds: 240.3,
    });
    expect(verdict(movie(240.3, track({ editSeconds: 240 }), audio))).toBe(240.3);
  });

  it("an edit list padding 3 s of frames to 200 s with an empty edit is refused", () => {
    expect(verdict(movie(200, track({ declaredSeconds: 3, samplesSeconds: 3, editSeconds: 200 })))).toBe(
      "inconsistent_duration",
    );
  });

  it("a track header (mdhd) 2 s longer than its samples is refused", () => {
    expect(verdict(movie(null, track({ declaredSeconds: 242 })))).toBe("inconsistent_duration");
  });

  it("in a fragmented file a track header shorter than the fragments is accepted, a longer one refused", () => {
    const fragmented = (declaredSeconds: number): Mp4Timing => ({
      ...movie(null, track({ declaredSeconds })),
      fragmented: true,
    });
    expect(verdict(fragmented(0.101))).toBe(240);
    expect(verdict(fragmented(242))).toBe("inconsistent_duration");
  });

  it("without a movie length (fragmented, no mehd) the longest track is the length", () => {
    expect(
      verdict(
        movie(
          null,
          track({ declaredSeconds: null }),
          track({ id: 2, handler: "soun", declaredSeconds: null, samplesSeconds: 240.5 }),
        ),
      ),
    ).toBe(240.5);
  });

  it("tracks that are neither picture nor sound do not count", () => {
    expect(
      verdict(movie(240, track({}), track({ id: 3, handler: "text", declaredSeconds: 900, samplesSeconds: 1 }))),
    ).toBe(240);
  });
});
