import { describe, expect, it } from "vitest";
import { apiSecurityHeaders, contentSecurityPolicy, securityHeaders } from "./security-headers";

const directive = (csp: string, name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `));

describe("securityHeaders", () => {
  it("allows scripts only from here and with this request's nonce", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123", secure: false });
    expect(directive(csp, "script-src")).toBe("script-src 'self' 'nonce-abc123'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).not.toContain("unsafe-eval");
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(csp, "object-src")).toBe("object-src 'none'");
  });

  it("allows a stored page's inline scripts by their hashes, and no other inline script", () => {
    const csp = contentSecurityPolicy({ scriptHashes: ["'sha256-AAA='", "'sha256-BBB='"], secure: false });
    expect(directive(csp, "script-src")).toBe("script-src 'self' 'sha256-AAA=' 'sha256-BBB='");
    expect(csp).not.toContain("nonce-");
    expect(directive(contentSecurityPolicy({ scriptHashes: [], secure: false }), "script-src")).toBe(
      "script-src 'self'",
    );
  });

  it("lets Mux Player play, show posters and upload", () => {
    const csp = contentSecurityPolicy({ nonce: "n", secure: false });
    expect(directive(csp, "media-src")).toBe("media-src 'self' blob: https://*.mux.com");
    expect(directive(csp, "img-src")).toContain("https://*.mux.com");
    expect(directive(csp, "connect-src")).toBe("connect-src 'self' https://*.mux.com https://storage.googleapis.com");
    expect(directive(csp, "worker-src")).toBe("worker-src 'self' blob:");
  });

  it("adds a stand-in's origin where the browser talks to it", () => {
    const csp = contentSecurityPolicy({ nonce: "n", secure: false, extraOrigins: ["http://127.0.0.1:4010"] });
    expect(directive(csp, "connect-src")).toContain("http://127.0.0.1:4010");
    expect(directive(csp, "media-src")).toContain("http://127.0.0.1:4010");
  });

  it("sends HSTS over HTTPS only", () => {
    expect(securityHeaders({ nonce: "n", secure: true })["Strict-Transport-Security"]).toBe("max-age=31536000");
    expect(securityHeaders({ nonce: "n", secure: false })).not.toHaveProperty("Strict-Transport-Security");
    expect(securityHeaders({ nonce: "n", secure: false })).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
    });
  });
});

describe("apiSecurityHeaders", () => {
  it("lets nothing in a JSON answer run or be framed, and keeps it out of caches", () => {
    const headers = apiSecurityHeaders({ secure: false });
    expect(directive(headers["Content-Security-Policy"]!, "default-src")).toBe("default-src 'none'");
    expect(directive(headers["Content-Security-Policy"]!, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(headers).toMatchObject({ "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" });
    expect(headers).not.toHaveProperty("Strict-Transport-Security");
    expect(apiSecurityHeaders({ secure: true })["Strict-Transport-Security"]).toBe("max-age=31536000");
  });
});
