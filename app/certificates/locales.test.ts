import { describe, expect, it } from "vitest";
import en from "~/locales/en/certificates.json";
import vi from "~/locales/vi/certificates.json";

// The sections of the certificates translations this folder's PDF, links,
// course-complete moment and export use. (verify, revoke and credential
// belong to the certificate page and are checked with it.)
const SECTIONS = ["pdf", "links", "complete", "export"] as const;

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix.replace(/_(zero|one|two|few|many|other)$/, "")];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("the certificates translations", () => {
  it("have the same keys in Vietnamese and English (plural forms aside)", () => {
    for (const section of SECTIONS) {
      expect([...new Set(keys(en[section], section))].sort()).toEqual([...new Set(keys(vi[section], section))].sort());
    }
  });

  it("name every job status", () => {
    for (const status of ["QUEUED", "RUNNING", "DONE", "FAILED"]) {
      expect(vi.export.status).toHaveProperty(status);
      expect(en.export.status).toHaveProperty(status);
    }
  });
});
