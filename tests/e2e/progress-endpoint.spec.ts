import { expect, test } from "./fixtures";

// The progress endpoint is answered ahead of the pages' middleware
// (server.js, docs/decisions/106-progress-fast-path.md). What it skips must
// not include a guard: cross-site posts are refused, bodies are capped, every
// answer is JSON with the API's headers and a request id.

const apiHeaders = (headers: Record<string, string>) => {
  expect(headers["content-type"]).toMatch(/^application\/json/);
  expect(headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["cache-control"]).toBe("no-store");
  expect(headers["x-request-id"]).toMatch(/^[A-Za-z0-9._-]{8,128}$/);
};

test("a report from another site is refused before it is read, even with a session", async ({ page, login }) => {
  await login();
  const response = await page.request.post("/api/progress", {
    headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    data: { viewId: "v", lessonId: "l", intervals: [[0, 10]], position: 10 },
  });
  expect(response.status()).toBe(403);
  expect(await response.json()).toEqual({ ok: false, error: "cross-site request refused" });
  apiHeaders(response.headers());
});

test("without a session, an oversized body, a broken body: JSON refusals with the API's headers", async ({
  page,
  baseURL,
  login,
}) => {
  const anonymous = await page.request.post("/api/progress", {
    headers: { Origin: baseURL!, "X-Request-Id": "proxy-id-12345" },
    data: { viewId: "v", lessonId: "l", intervals: [], position: 0 },
  });
  expect(anonymous.status()).toBe(401);
  apiHeaders(anonymous.headers());
  expect(anonymous.headers()["x-request-id"]).toBe("proxy-id-12345");

  const huge = await page.request.post("/api/progress", {
    headers: { Origin: baseURL!, "Content-Type": "application/json" },
    data: JSON.stringify({ viewId: "v", lessonId: "l", intervals: [], position: 0, pad: "x".repeat(64 * 1024) }),
  });
  expect(huge.status()).toBe(413);
  expect(await huge.json()).toEqual({ ok: false, error: "body too large" });
  apiHeaders(huge.headers());

  await login();
  const broken = await page.request.post("/api/progress", {
    headers: { Origin: baseURL!, "Content-Type": "application/json" },
    data: Buffer.from("{not json"),
  });
  expect(broken.status()).toBe(400);
  expect(await broken.json()).toMatchObject({ ok: false, error: "malformed JSON" });
  apiHeaders(broken.headers());

  const charset = await page.request.post("/api/progress", {
    headers: { Origin: baseURL!, "Content-Type": "application/json; charset=klingon" },
    data: "{}",
  });
  expect(charset.status()).toBe(415);
  expect(await charset.json()).toEqual({ ok: false, error: "unsupported charset" });
  apiHeaders(charset.headers());
});
