import { Writable } from "node:stream";
import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { withoutNulBytes } from "./html-stream.server";

/** Server-renders a page through `through` and returns the bytes it sends. */
function render(through: (() => NodeJS.ReadWriteStream) | null, text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        parts.push(Buffer.from(chunk));
        done();
      },
    });
    sink.on("finish", () => resolve(Buffer.concat(parts)));
    // Many short strings, as a page is: React copies them into its buffer one by one.
    const items = Array.from({ length: 300 }, (_, i) => createElement("li", { key: i, "aria-label": text }, text));
    const { pipe } = renderToPipeableStream(createElement("ul", null, items), {
      onAllReady() {
        if (through) {
          const stage = through();
          stage.pipe(sink);
          pipe(stage as unknown as Writable);
        } else pipe(sink);
      },
      onError: reject,
    });
  });
}

describe("the HTML stream", () => {
  // Shifted byte by byte, so that some "ủ" (three bytes) falls across the end of React's 2,048-byte buffer.
  const padded = (n: number) => `${"a".repeat(n)} Các trang về độ bao phủ`;

  it("has no NUL byte where React's buffer ends in the middle of a Vietnamese character", async () => {
    let seen = false;
    for (let n = 0; n < 12; n++) {
      const raw = await render(null, padded(n));
      if (raw.includes(0)) seen = true;
      const html = await render(withoutNulBytes, padded(n));
      expect(html.includes(0)).toBe(false);
      expect(html.toString("utf8").split(`aria-label="${padded(n)}"`)).toHaveLength(301);
    }
    // The renderer alone does write them (React 18): this test checks the fix, not luck.
    expect(seen).toBe(true);
  });
});

describe("the HTML stream's chunks", () => {
  it("sends a page React renders at once as one chunk, not one per 2 KB buffer", async () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    });
    const finished = new Promise((resolve) => sink.on("finish", resolve));
    const items = Array.from({ length: 2000 }, (_, i) => createElement("li", { key: i }, `Bài học số ${i}`));
    const { pipe } = renderToPipeableStream(createElement("ul", null, items), {
      onAllReady() {
        const stage = withoutNulBytes();
        stage.pipe(sink);
        pipe(stage);
      },
    });
    await finished;
    const html = Buffer.concat(chunks).toString("utf8");
    expect(html.length).toBeGreaterThan(20_000);
    expect(html).toContain("Bài học số 1999");
    expect(chunks).toHaveLength(1);
  });
});
