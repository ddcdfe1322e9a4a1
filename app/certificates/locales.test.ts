import { describe, expect, it } from "vitest";
import en from "~/locales/en/certificates.json";
import vi from "~/locales/vi/certificates.json";
import enOperations from "~/locales/en/operations.json";
import viOperations from "~/locales/vi/operations.json";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("the certificate translations", () => {
  it("have the same keys in Vietnamese and English", () => {
    expect(keys(en).sort()).toEqual(keys(vi).sort());
  });

  it("name the revocation in the audit trail, in both languages", () => {
    for (const operations of [viOperations, enOperations]) expect(keys(operations)).toContain("audit.action.certificate.revoke");
  });
});
