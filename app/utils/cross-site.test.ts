import { describe, expect, it } from "vitest";
import { crossSiteVerdict, type CrossSiteQuestion } from "./cross-site";

const own = ["https://taphuan.example.gov.vn", "http://localhost:3000"];
const ask = (q: Partial<CrossSiteQuestion>) =>
  crossSiteVerdict({ method: "POST", path: "/coverage/upload", fetchSite: null, origin: null, ownOrigins: own, ...q })
    .allowed;

describe("crossSiteVerdict", () => {
  it.each([
    // method, path, Sec-Fetch-Site, Origin, allowed
    ["GET", "/coverage", "cross-site", "https://evil.example", true],
    ["HEAD", "/", "cross-site", null, true],
    ["OPTIONS", "/api/views", "cross-site", "https://evil.example", true],
    ["POST", "/coverage/upload", "same-origin", "https://taphuan.example.gov.vn", true],
    ["POST", "/coverage/upload", "same-origin", null, true],
    ["POST", "/logout", "none", null, true],
    ["POST", "/logout", null, null, true],
    ["POST", "/logout", null, "http://localhost:3000", true],
    ["POST", "/coverage/upload", "cross-site", null, false],
    ["POST", "/coverage/upload", "cross-site", "https://taphuan.example.gov.vn", false],
    ["POST", "/coverage/upload", null, "https://evil.example", false],
    ["POST", "/coverage/upload", "same-origin", "https://evil.example", false],
    ["POST", "/language", null, "null", false],
    ["POST", "/language", null, "https://taphuan.example.gov.vn.evil.example", false],
    ["POST", "/language", null, "http://taphuan.example.gov.vn", false],
    ["PUT", "/api/uploads/u1", "cross-site", null, false],
    ["PATCH", "/api/uploads/u1", null, "https://evil.example", false],
    ["DELETE", "/api/uploads/u1", "cross-site", null, false],
    ["post", "/logout", "cross-site", null, false],
    ["POST", "/logout", "same-site", null, false],
    ["POST", "/logout", "same-site", "https://other.example.gov.vn", false],
    ["POST", "/logout", "same-site", "https://taphuan.example.gov.vn", true],
    ["POST", "/logout", "CROSS-SITE", null, false],
    ["POST", "/api/mux/webhook", "cross-site", "https://evil.example", true],
    ["POST", "/api/mux/webhook/", "cross-site", null, false],
  ] as const)("%s %s, Sec-Fetch-Site %s, Origin %s: allowed %s", (method, path, fetchSite, origin, allowed) => {
    expect(ask({ method, path, fetchSite, origin })).toBe(allowed);
  });

  it("compares origins, not URLs: a path or a default port does not matter", () => {
    expect(ask({ origin: "https://taphuan.example.gov.vn:443" })).toBe(true);
    expect(ask({ origin: "https://taphuan.example.gov.vn:8443" })).toBe(false);
  });
});
