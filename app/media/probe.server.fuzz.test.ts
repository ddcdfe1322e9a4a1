import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { probeVideo, ProbeError } from "./probe.server";

// Whatever bytes a trainer uploads, the probe answers with a measurement or
// its own refusal, and soon: never another exception, never a hang.

const FIXTURES = path.resolve(__dirname, "../../tests/fixtures/media");
const NAMES = [
  "real-3s.mp4",
  "real-3s-moov-last.mp4",
  "real-3s-frag.mp4",
  "real-3s.webm",
  "chrome-3s.webm",
  "chrome-3s-video.mp4",
] as const;
const HANG_MS = 2_000;

let dir: string;
let originals: Buffer[];
let run = 0;
beforeAll(async () => {
  // mp4box reports each damaged box on the console; thousands of them here.
  vi.spyOn(console, "error").mockImplementation(() => {});
  dir = await mkdtemp(path.join(tmpdir(), "probe-fuzz-"));
  originals = await Promise.all(NAMES.map((name) => readFile(path.join(FIXTURES, name))));
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

type Outcome = "measured" | ProbeError["reason"];

async function probeAnswersOrRefuses(bytes: Uint8Array): Promise<Outcome> {
  const file = path.join(dir, `case-${run++}`);
  await writeFile(file, bytes);
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<"hang">((resolve) => {
    timer = setTimeout(() => resolve("hang"), HANG_MS);
  });
  try {
    const outcome = await Promise.race([
      probeVideo(file).then(
        () => "measured" as const,
        (error: unknown) => error,
      ),
      hang,
    ]);
    if (outcome === "hang") throw new Error(`the probe took more than ${HANG_MS} ms`);
    if (outcome === "measured") return outcome;
    if (!(outcome instanceof ProbeError)) throw outcome;
    return outcome.reason;
  } finally {
    clearTimeout(timer);
    await rm(file, { force: true });
  }
}

const fixtureIndex = fc.integer({ min: 0, max: NAMES.length - 1 });

describe("the probe on damaged and random files", () => {
  it("random bytes behind a real file's first bytes (so the MP4 or EBML parser runs)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fixtureIndex,
        fc.integer({ min: 0, max: 400 }),
        fc.uint8Array({ maxLength: 2048 }),
        async (which, keep, tail) => {
          const head = originals[which]!.subarray(0, keep);
          await probeAnswersOrRefuses(Buffer.concat([head, tail]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a real file cut off anywhere", async () => {
    await fc.assert(
      fc.asyncProperty(fixtureIndex, fc.double({ min: 0, max: 1, noNaN: true }), async (which, fraction) => {
        const bytes = originals[which]!;
        await probeAnswersOrRefuses(bytes.subarray(0, Math.floor(bytes.length * fraction)));
      }),
      { numRuns: 300 },
    );
  });

  it("a real file with bytes overwritten in its headers", async () => {
    const seen = new Set<Outcome>();
    const position = fc.integer({ min: 0, max: 4000 });
    await fc.assert(
      fc.asyncProperty(
        fixtureIndex,
        fc.array(fc.tuple(position, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        async (which, edits) => {
          const bytes = Buffer.from(originals[which]!);
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          seen.add(await probeAnswersOrRefuses(bytes));
        },
      ),
      { numRuns: 500 },
    );
    // The damage reached the parsers: some files still measure, others are refused.
    expect(seen).toContain("measured");
    expect(seen).toContain("truncated");
  });

  it("random bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        await probeAnswersOrRefuses(bytes);
      }),
      { numRuns: 200 },
    );
  });
});
