// Time from navigation to a playable lesson video on a slow connection, in
// Debian's Chromium (as the browser tests run it) against the production
// build (run `npm run build` first; this script builds nothing):
//   npm run build && npm run bench:playable
// The connection is throttled over CDP (Network.emulateNetworkConditions:
// 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency) with the cache disabled, a
// first visit each time. The demo learner, enrolled and signed in (a session
// made with the app's own code, in the cookie), opens the first demo video
// lesson. Playable: the first moment a <video> on the page (in Mux Player's
// shadow DOM or not) reaches readyState ≥ 3 (HAVE_FUTURE_DATA, `canplay`),
// timed from the navigation's start (performance.timeOrigin). Also printed:
// the bytes the browser received before that moment (CDP dataReceived), and
// which requests they were. BENCH_RUNS (default 3): runs; the median is the figure.
import { loadavg } from "node:os";
import path from "node:path";
import { chromium, type CDPSession } from "@playwright/test";
import { prepareDemo, startServer, stopServer } from "./demo-server";
import { figure } from "./figures";

const PORT = Number(process.env.BENCH_PORT ?? 3904);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BASE = `http://127.0.0.1:${PORT}`;

// Runs in the page before any of its scripts: finds every <video>, light DOM
// or shadow roots, and notes when the first can play. A string, not a
// function: tsx would add helpers to a function's text that the page lacks.
const WATCH_FOR_PLAYABLE = `(() => {
  const seen = new WeakSet();
  const mark = (at) => {
    if (window.__playableAt === undefined || at < window.__playableAt) window.__playableAt = at;
  };
  const videos = (root, found) => {
    for (const el of root.querySelectorAll("*")) {
      if (el instanceof HTMLVideoElement) found.push(el);
      if (el.shadowRoot) videos(el.shadowRoot, found);
    }
    return found;
  };
  window.__videos = () => videos(document, []);
  customElements.whenDefined("mux-player").then(() => (window.__playerDefinedAt = performance.now()));
  const scan = () => {
    for (const video of videos(document, [])) {
      if (seen.has(video)) continue;
      seen.add(video);
      if (video.readyState >= 3) mark(performance.now());
      else video.addEventListener("canplay", (event) => mark(event.timeStamp), { once: true });
    }
    if (window.__playableAt === undefined) setTimeout(scan, 10);
  };
  scan();
})();`;

type Transfer = { url: string; bytes: number; at: number };

async function recordTransfers(cdp: CDPSession) {
  const urls = new Map<string, string>();
  const received: Transfer[] = [];
  // CDP's timestamps are a monotonic clock; wallTime on requestWillBeSent maps them to the page's.
  let offsetMs: number | null = null;
  const started = new Map<string, number>();
  cdp.on("Network.requestWillBeSent", (e) => {
    urls.set(e.requestId, e.request.url);
    if (offsetMs === null) offsetMs = e.wallTime * 1000 - e.timestamp * 1000;
    if (!started.has(e.request.url)) started.set(e.request.url, e.timestamp * 1000);
  });
  cdp.on("Network.dataReceived", (e) => {
    received.push({ url: urls.get(e.requestId) ?? "?", bytes: e.encodedDataLength, at: e.timestamp * 1000 });
  });
  // Some responses report their bytes only when they finish.
  const counted = new Map<string, number>();
  cdp.on("Network.dataReceived", (e) =>
    counted.set(e.requestId, (counted.get(e.requestId) ?? 0) + e.encodedDataLength),
  );
  cdp.on("Network.loadingFinished", (e) => {
    const rest = e.encodedDataLength - (counted.get(e.requestId) ?? 0);
    if (rest > 0) received.push({ url: urls.get(e.requestId) ?? "?", bytes: rest, at: e.timestamp * 1000 });
  });
  await cdp.send("Network.enable");
  /** Bytes received by a wall-clock time (ms since the epoch), per URL path, when each was asked for and when its last byte by then came. */
  return (untilWallMs: number, originWallMs: number) => {
    const byPath = new Map<string, number>();
    const startedAt = new Map<string, number>();
    const lastAt = new Map<string, number>();
    for (const [url, at] of started) {
      const key = url.startsWith(BASE) ? new URL(url).pathname : url;
      if (offsetMs !== null) startedAt.set(key, at + offsetMs - originWallMs);
    }
    let total = 0;
    for (const t of received) {
      if (offsetMs === null || t.at + offsetMs > untilWallMs) continue;
      total += t.bytes;
      const key = t.url.startsWith(BASE) ? new URL(t.url).pathname : t.url;
      byPath.set(key, (byPath.get(key) ?? 0) + t.bytes);
      lastAt.set(key, Math.max(lastAt.get(key) ?? 0, t.at + offsetMs - originWallMs));
    }
    return { total, byPath, startedAt, lastAt };
  };
}

const demo = await prepareDemo(path.resolve("bench/out/playable"));
const server = await startServer(demo, PORT);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"],
});
const times: number[] = [];
const bytes: number[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ locale: "vi-VN" });
    await context.addCookies([{ name: "th_session", value: demo.learnerToken, url: BASE }]);
    const page = await context.newPage();
    await page.addInitScript({ content: WATCH_FOR_PLAYABLE });
    const cdp = await context.newCDPSession(page);
    const bytesBy = await recordTransfers(cdp);
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 150,
      downloadThroughput: 1_600_000 / 8,
      uploadThroughput: 750_000 / 8,
    });
    await page.goto(BASE + demo.lessonPath, { waitUntil: "commit" });
    const handle = await page
      .waitForFunction(() => (window as unknown as { __playableAt?: number }).__playableAt, undefined, {
        timeout: 60_000,
        polling: 50,
      })
      .catch(async (error: unknown) => {
        // What the page's videos were doing, to say why none became playable.
        const state = await page.evaluate(`window.__videos().map((v) =>
          \`readyState \${v.readyState}, networkState \${v.networkState}, preload \${v.preload}, src \${v.currentSrc}\`)`);
        console.error("no video became playable:", state);
        throw error;
      });
    const playableMs = (await handle.jsonValue()) as number;
    const origin = await page.evaluate(() => performance.timeOrigin);
    const { total, byPath, startedAt, lastAt } = bytesBy(origin + playableMs, origin);
    times.push(playableMs);
    bytes.push(total);
    const definedAt = (await page.evaluate("window.__playerDefinedAt")) as number | undefined;
    console.log(
      `run ${run + 1}: playable after ${Math.round(playableMs)} ms, ${(total / 1024).toFixed(0)} KB received; <mux-player> defined at ${Math.round(definedAt ?? NaN)} ms`,
    );
    for (const [url, n] of [...byPath].sort((a, b) => b[1] - a[1])) {
      const at = startedAt.get(url);
      const last = lastAt.get(url);
      console.log(
        `  ${(n / 1024).toFixed(1).padStart(7)} KB, asked at ${String(Math.round(at ?? NaN)).padStart(5)} ms, last byte at ${String(Math.round(last ?? NaN)).padStart(5)} ms  ${url}`,
      );
    }
    await context.close();
  }
} finally {
  await browser.close();
  await stopServer(server);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const on = `1.6 Mbit/s down, 150 ms latency, no cache, median of ${RUNS}, load ${loadavg()[0]!.toFixed(2)}`;
figure({
  name: "lesson video playable after navigation",
  value: Math.round(median(times)),
  unit: "ms",
  aim: { max: 3000 },
  on,
});
figure({ name: "bytes received before playable", value: Math.round(median(bytes) / 1024), unit: "KB", aim: null, on });
process.exit(0);
