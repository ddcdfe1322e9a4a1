import { readFileSync } from "node:fs";
import { get } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { Response } from "@playwright/test";
import { z } from "zod";
import { expect, test, type Page } from "./fixtures";
import { playerChunk } from "../helpers/player-chunk";

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

// A slow link pays for every byte before the video plays (docs/decisions/170-player-bytes.md):
// a page's scripts carry its own language's translations only, and only a page with a video
// asks for Mux Player's chunk early.

/** The text of every script the page loaded, once its network is quiet. */
async function scriptsOf(page: Page, url: string): Promise<string> {
  const bodies: Promise<string>[] = [];
  const collect = (response: Response) => {
    if (/\/assets\/[\w.-]+\.js$/.test(new URL(response.url()).pathname)) bodies.push(response.text());
  };
  page.on("response", collect);
  await page.goto(url, { waitUntil: "networkidle" });
  page.off("response", collect);
  // As written, or with its non-ASCII letters escaped by the minifier.
  const text = (await Promise.all(bodies)).join("\n");
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const Common = z.object({ skipToContent: z.string(), footer: z.string() });
const Learn = z.object({ loadingPlayer: z.string() });
const translations = (language: "vi" | "en") => ({
  common: Common.parse(JSON.parse(readFileSync(`app/locales/${language}/common.json`, "utf8"))),
  learn: Learn.parse(JSON.parse(readFileSync(`app/locales/${language}/learn.json`, "utf8"))),
});
const en = translations("en");

/** Sentences of a language that the other one does not have. */
const only = (language: "vi" | "en") => {
  const { common, learn } = translations(language);
  return [common.skipToContent, common.footer, learn.loadingPlayer];
};

test("a page's scripts hold the translations of its own language only, and the switch loads the other", async ({
  page,
}) => {
  const vietnamese = await scriptsOf(page, "/");
  for (const text of only("vi")) expect(vietnamese).toContain(text);
  for (const text of only("en")) expect(vietnamese).not.toContain(text);

  const english: string[] = [];
  page.on("response", (response) => {
    if (/\/assets\/[\w.-]+\.js$/.test(new URL(response.url()).pathname)) english.push(response.url());
  });
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("link", { name: en.common.skipToContent })).toBeAttached();
  await expect(page.locator(".site-footer")).toHaveText(en.common.footer);
  expect(english.length).toBeGreaterThan(0);

  // Loaded afresh in English: the Vietnamese translations stay behind.
  const englishPage = await scriptsOf(page, "/");
  for (const text of only("en")) expect(englishPage).toContain(text);
  for (const text of only("vi")) expect(englishPage).not.toContain(text);
});

test("a lesson with a video links Mux Player's chunk for preloading; a page without one does not", async ({ page }) => {
  // The demo's videos are stored here: the player's build without hls.js.
  const chunk = playerChunk("local");
  expect(chunk).not.toBe(playerChunk("mux"));
  const preloads = async (url: string) => {
    const html = await (await page.request.get(url)).text();
    return [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]);
  };
  await page.goto("/courses/iccpr-intro");
  const lesson = await page.getByTestId("watch-preview").getAttribute("href");
  expect(lesson).toMatch(/^\/courses\/iccpr-intro\/01-/);
  expect(await preloads(lesson!)).toContain(chunk);
  expect(await preloads(lesson!)).not.toContain(playerChunk("mux"));
  expect(await preloads("/")).not.toContain(chunk);
  expect(await preloads("/courses/iccpr-intro")).not.toContain(chunk);
});
