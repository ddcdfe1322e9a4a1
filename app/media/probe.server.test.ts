import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp4, writeWebm } from "../../tests/fixtures/media-files";
import { checkLessonDuration } from "./lesson-duration";
import { probeVideo, ProbeError } from "./probe.server";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "probe-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (name: string) => path.join(dir, name);

async function refusal(filePath: string) {
  const error = await probeVideo(filePath).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProbeError);
  return (error as ProbeError).reason;
}

describe("the 3–5 minute rule on measured files", () => {
  const cases = [
    { seconds: 179, ok: false, measured: "2:59" },
    { seconds: 179.999, ok: false, measured: "2:59" },
    { seconds: 180, ok: true },
    { seconds: 300, ok: true },
    { seconds: 300.5, ok: true },
    { seconds: 301, ok: false, measured: "5:01" },
  ];
  for (const { seconds, ok, measured } of cases) {
    it(`MP4 of ${seconds} s is ${ok ? "accepted" : "refused"}`, async () => {
      const name = file(`v${seconds}.mp4`);
      await writeMp4(name, { durationSeconds: seconds, withAudio: true });
      const probe = await probeVideo(name);
      expect(probe.container).toBe("mp4");
      expect(probe.durationSeconds).toBeCloseTo(seconds, 3);
      expect(probe.videoCodec).toMatch(/^avc1/);
      const rule = checkLessonDuration(probe.durationSeconds);
      expect(rule.ok).toBe(ok);
      if (!rule.ok) expect(rule.measured).toBe(measured);
    });
    it(`WebM of ${seconds} s is ${ok ? "accepted" : "refused"}`, async () => {
      const name = file(`v${seconds}.webm`);
      await writeWebm(name, { durationSeconds: seconds });
      const probe = await probeVideo(name);
      expect(probe.container).toBe("webm");
      expect(probe.durationSeconds).toBeCloseTo(seconds, 3);
      expect(checkLessonDuration(probe.durationSeconds).ok).toBe(ok);
    });
  }

  it("measures a live-recorded WebM (no Duration, unknown sizes) from its last frame", async () => {
    const name = file("live.webm");
    await writeWebm(name, { durationSeconds: 240, writeDuration: false, liveSizes: true });
    const probe = await probeVideo(name);
    expect(probe.durationSeconds).toBeCloseTo(240, 1);
  });
});

describe("files that are refused", () => {
  it("a text file named .mp4", async () => {
    await writeFile(file("notes.mp4"), "These are my lecture notes, not a video.\n".repeat(100));
    expect(await refusal(file("notes.mp4"))).toBe("not_video");
  });

  it("a truncated MP4 whose movie header is intact", async () => {
    await writeMp4(file("cut.mp4"), { durationSeconds: 200, truncateTo: 100_000 });
    expect(await refusal(file("cut.mp4"))).toBe("truncated");
  });

  it("an MP4 cut inside its header", async () => {
    await writeMp4(file("cut-head.mp4"), { durationSeconds: 200, truncateTo: 300 });
    expect(await refusal(file("cut-head.mp4"))).toBe("truncated");
  });

  it("an MP4 with no video track", async () => {
    await writeMp4(file("audio.mp4"), { durationSeconds: 200, videoCodec: null });
    expect(await refusal(file("audio.mp4"))).toBe("no_video");
  });

  it("an MP4 whose video is not H.264", async () => {
    await writeMp4(file("hevc.mp4"), { durationSeconds: 200, videoCodec: "hvc1" });
    expect(await refusal(file("hevc.mp4"))).toBe("unsupported_codec");
  });

  it("a truncated WebM with a declared size", async () => {
    await writeWebm(file("cut.webm"), { durationSeconds: 200, truncateTo: 3000 });
    expect(await refusal(file("cut.webm"))).toBe("truncated");
  });

  it("a truncated live-recorded WebM", async () => {
    await writeWebm(file("cut-live.webm"), {
      durationSeconds: 200,
      writeDuration: false,
      liveSizes: true,
      truncateTo: 3001,
    });
    expect(await refusal(file("cut-live.webm"))).toBe("truncated");
  });

  it("a WebM with no video track", async () => {
    await writeWebm(file("audio.webm"), { durationSeconds: 200, videoCodec: null });
    expect(await refusal(file("audio.webm"))).toBe("no_video");
  });

  it("a Matroska file that is not WebM", async () => {
    await writeWebm(file("film.webm"), { durationSeconds: 200, docType: "matroska" });
    expect(await refusal(file("film.webm"))).toBe("not_video");
  });

  it("a WebM with a codec browsers do not play in WebM", async () => {
    await writeWebm(file("h264.webm"), { durationSeconds: 200, videoCodec: "V_MPEG4/ISO/AVC" });
    expect(await refusal(file("h264.webm"))).toBe("unsupported_codec");
  });
});
