import { randomUUID } from "node:crypto";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { signedInLearnerWatching } from "../../tests/helpers/fixtures";
import { MAX_PROGRESS_BODY_BYTES } from "./progress-http.server";
import { createProgressListener, isProgressReport } from "./progress-node.server";

// The listener over a real socket, as server.js mounts it ahead of Express:
// one server that believes no proxy, one behind a proxy it trusts.
const servers: Server[] = [];
let direct: string;
let proxied: string;

function listen(trusted: boolean): Promise<string> {
  const listener = createProgressListener({
    trustProxy: () => trusted,
    requestId: (req, res) => {
      const incoming = req.headers["x-request-id"];
      const id = typeof incoming === "string" && /^[A-Za-z0-9._-]{8,128}$/.test(incoming) ? incoming : randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
  });
  const server = createServer((req, res) => {
    if (isProgressReport(req)) return void listener(req, res);
    res.writeHead(418).end();
  });
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  direct = await listen(false);
  proxied = await listen(true);
});
afterAll(() => servers.forEach((server) => server.close()));

type Sent = { status: number; headers: IncomingMessage["headers"]; body: string };

/** A POST to /api/progress; `chunks` are written one by one (chunked, no Content-Length) unless `body` is given. */
function post(
  host: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[]; path?: string },
): Promise<Sent> {
  const [hostname, port] = host.split(":");
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port: Number(port),
        method: "POST",
        path: options.path ?? "/api/progress",
        headers: { Host: host, "Content-Type": "application/json", ...options.headers },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (chunk: Buffer) => parts.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts).toString() }),
        );
      },
    );
    req.on("error", reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else req.end(options.body ?? "");
  });
}

async function signedIn() {
  const { cookie, lessonId, viewId, userId } = await signedInLearnerWatching();
  const report = JSON.stringify({ viewId, lessonId, intervals: [[0, 10]], position: 10 });
  return { cookie, report, userId };
}

const stored = (userId: string) => db.lessonProgress.count({ where: { userId } });

function expectApiHeaders(sent: Sent) {
  expect(sent.headers["content-type"]).toBe("application/json; charset=utf-8");
  expect(sent.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(sent.headers["x-content-type-options"]).toBe("nosniff");
  expect(sent.headers["cache-control"]).toBe("no-store");
  expect(sent.headers["x-request-id"]).toMatch(/^[A-Za-z0-9._-]{8,128}$/);
}

describe("isProgressReport", () => {
  it("takes POST /api/progress with or without a query, nothing else", () => {
    const ask = (method: string, url: string) => isProgressReport({ method, url } as IncomingMessage);
    expect(ask("POST", "/api/progress")).toBe(true);
    expect(ask("POST", "/api/progress?x=1")).toBe(true);
    expect(ask("GET", "/api/progress")).toBe(false);
    expect(ask("POST", "/api/progressive")).toBe(false);
    expect(ask("POST", "/api/progress/")).toBe(false);
    expect(ask("POST", "/api/views")).toBe(false);
  });
});

describe("the progress listener", () => {
  it("stores a good report and answers in JSON with the API's headers and the proxy's request id", async () => {
    const { cookie, report, userId } = await signedIn();
    const sent = await post(direct, { headers: { Cookie: cookie, "X-Request-Id": "proxy-id-12345" }, body: report });
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.body)).toMatchObject({ ok: true, watchedPercent: 5 });
    expectApiHeaders(sent);
    expect(sent.headers["x-request-id"]).toBe("proxy-id-12345");
    expect(sent.headers["strict-transport-security"]).toBeUndefined();
    expect(await stored(userId)).toBe(1);
  });

  it("refuses a cross-site report before reading it, even with a session", async () => {
    const { cookie, report, userId } = await signedIn();
    const refusals: Record<string, string>[] = [{ "Sec-Fetch-Site": "cross-site" }, { Origin: "https://evil.example" }];
    for (const headers of refusals) {
      const sent = await post(direct, { headers: { Cookie: cookie, ...headers }, body: report });
      expect(sent.status).toBe(403);
      expect(JSON.parse(sent.body)).toEqual({ ok: false, error: "cross-site request refused" });
      expectApiHeaders(sent);
    }
    expect(await stored(userId)).toBe(0);
  });

  it("refuses bodies over the cap, declared or streamed, compressed bodies and other charsets; stores nothing", async () => {
    const { cookie, report, userId } = await signedIn();
    const big = Buffer.alloc(MAX_PROGRESS_BODY_BYTES + 1, " ");
    const cases: [Parameters<typeof post>[1], number, string][] = [
      [{ body: big }, 413, "body too large"],
      // No Content-Length: the cap is counted as the chunks arrive.
      [{ chunks: [Buffer.from(report), big] }, 413, "body too large"],
      [{ headers: { "Content-Encoding": "gzip" }, body: gzipSync(report) }, 415, "unsupported content encoding"],
      [{ headers: { "Content-Type": "application/json; charset=klingon" }, body: report }, 415, "unsupported charset"],
      [{ headers: { "Content-Type": "text/plain" }, body: report }, 415, "expected application/json"],
    ];
    for (const [options, status, error] of cases) {
      const sent = await post(direct, { ...options, headers: { Cookie: cookie, ...options.headers } });
      expect(sent.status, error).toBe(status);
      expect(JSON.parse(sent.body)).toMatchObject({ ok: false, error });
      expectApiHeaders(sent);
    }
    expect(await stored(userId)).toBe(0);
    // A charset of UTF-8, spelt either way, and a body in chunks under the cap are fine.
    const chunked = await post(direct, {
      headers: { Cookie: cookie, "Content-Type": 'application/json; charset="UTF-8"' },
      chunks: [Buffer.from(report.slice(0, 10)), Buffer.from(report.slice(10))],
    });
    expect(chunked.status).toBe(200);
    expect(await stored(userId)).toBe(1);
  });

  it("believes X-Forwarded-Proto and -Host only from a trusted proxy", async () => {
    const { cookie, report, userId } = await signedIn();
    const forwarded = {
      Cookie: cookie,
      "X-Forwarded-Proto": "https",
      "X-Forwarded-Host": "tap-huan.example.gov.vn",
      Origin: "https://tap-huan.example.gov.vn",
    };
    const behindProxy = await post(proxied, { headers: forwarded, body: report });
    expect(behindProxy.status).toBe(200);
    expect(behindProxy.headers["strict-transport-security"]).toBe("max-age=31536000");
    // Without a trusted proxy, the forwarded origin is someone else's: refused.
    const spoofed = await post(direct, { headers: forwarded, body: report });
    expect(spoofed.status).toBe(403);
    expect(spoofed.headers["strict-transport-security"]).toBeUndefined();
    expect(await stored(userId)).toBe(1);
  });

  it("answers without a session 401, and a broken body 400", async () => {
    const { cookie } = await signedIn();
    const anonymous = await post(direct, { body: "{}" });
    expect(anonymous.status).toBe(401);
    expectApiHeaders(anonymous);
    const broken = await post(direct, { headers: { Cookie: cookie }, body: "{not json" });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toMatchObject({ ok: false, error: "malformed JSON" });
  });
});
