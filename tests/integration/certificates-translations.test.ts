import { describe, expect, it } from "vitest";
import en from "~/locales/en/certificates.json";
import vi from "~/locales/vi/certificates.json";
import enOperations from "~/locales/en/operations.json";
import viOperations from "~/locales/vi/operations.json";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix.replace(/_(zero|one|two|few|many|other)$/, "")];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("the certificates translations", () => {
  it("have the same keys in Vietnamese and English (plural forms aside)", () => {
    expect([...new Set(keys(en))].sort()).toEqual([...new Set(keys(vi))].sort());
  });

  it("name the revocation in the audit trail, in both languages", () => {
    for (const operations of [viOperations, enOperations])
      expect(keys(operations)).toContain("audit.action.certificate.revoke");
  });

  it("name every job status", () => {
    for (const status of ["QUEUED", "RUNNING", "DONE", "FAILED"]) {
      expect(vi.export.status).toHaveProperty(status);
      expect(en.export.status).toHaveProperty(status);
    }
  });
});
