import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { LOG_REDACT, redactPath } from "./logger.server";

describe("logs keep secrets out", () => {
  it("cuts the token out of link paths and drops query strings", () => {
    expect(redactPath("/reset-password/abcdefghijklmnopqrstuvwxyz234567")).toBe("/reset-password/[redacted]");
    expect(redactPath("/set-password/abc?x=1")).toBe("/set-password/[redacted]");
    expect(redactPath("/invite/k3j4h5")).toBe("/invite/[redacted]");
    expect(redactPath("/unsubscribe/tok_en-1")).toBe("/unsubscribe/[redacted]");
    expect(redactPath("/verify-email/t")).toBe("/verify-email/[redacted]");
    expect(redactPath("/coverage/follow-up?q=Nguyễn&token=x")).toBe("/coverage/follow-up");
    expect(redactPath("/courses/iccpr-intro/bai-1")).toBe("/courses/iccpr-intro/bai-1");
  });

  it("redacts cookies, passwords and tokens in logged objects", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = pino({ redact: LOG_REDACT }, sink);
    logger.info(
      { req: { headers: { cookie: "th_session=secret" } }, password: "hunter2", user: { token: "abc" } },
      "x",
    );
    expect(lines.join("")).not.toMatch(/secret|hunter2|"abc"/);
  });
});
