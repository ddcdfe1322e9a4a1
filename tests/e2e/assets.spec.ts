import { get } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { expect, test } from "./fixtures";

// Scripts are compressed once at build time (scripts/precompress.ts) and sent
// as the browser accepts them: Brotli, else gzip, else as they are, the same
// bytes each way, cached as immutable and varying by Accept-Encoding.

function fetchRaw(url: string, acceptEncoding: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) =>
      get(url, { headers: { "Accept-Encoding": acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      }).on("error", reject),
  );
}

test("the page's scripts come precompressed as the browser accepts them, the same bytes each way", async ({
  page,
  baseURL,
}) => {
  const html = await (await page.request.get("/")).text();
  const scripts = [...new Set(html.match(/\/assets\/[\w.-]+\.js/g) ?? [])].map((asset) => `${baseURL}${asset}`);
  expect(scripts.length).toBeGreaterThan(1);
  for (const url of scripts.slice(0, 3)) {
    expect(url.startsWith(`${baseURL}/assets/`)).toBe(true);
    const plain = await fetchRaw(url, "identity");
    const br = await fetchRaw(url, "gzip, deflate, br, zstd");
    const gzip = await fetchRaw(url, "gzip, deflate");
    for (const answer of [plain, br, gzip]) {
      expect(answer.status).toBe(200);
      expect(answer.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(answer.headers.vary).toMatch(/Accept-Encoding/i);
      expect(answer.headers["content-type"]).toMatch(/^text\/javascript/i);
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    }
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(br.headers["content-encoding"]).toBe("br");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    // Built at Brotli's strongest setting: smaller than gzip's.
    expect(br.body.length).toBeLessThan(gzip.body.length);
  }
  expect((await fetchRaw(`${baseURL}/assets/no-such-script.js`, "br")).status).toBe(404);
});
