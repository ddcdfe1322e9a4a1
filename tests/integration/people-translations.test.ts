import { describe, expect, it } from "vitest";
import en from "~/locales/en/people.json";
import vi from "~/locales/vi/people.json";
import { AUDIT_ACTIONS } from "~/audit/audit.server";
import { ROLES, USER_STATUSES } from "~/people/rules";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("the people translations", () => {
  it("have the same keys in Vietnamese and English", () => {
    expect(keys(en).sort()).toEqual(keys(vi).sort());
  });

  it("name every role, status and people action", () => {
    const all = new Set(keys(vi));
    for (const role of ROLES) expect(all).toContain(`role.${role}`);
    for (const status of USER_STATUSES) expect(all).toContain(`status.${status}`);
    for (const action of AUDIT_ACTIONS.filter((a) => /^(user|course)\./.test(a)))
      expect(Object.keys(vi.audit.actions)).toContain(action);
  });
});
