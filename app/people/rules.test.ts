import { describe, expect, it } from "vitest";
import { InviteFormSchema, parseUserListQuery, scopeRequest } from "./forms";
import { canManageUsers, effectiveScope, parseScopeFilter, removesLastAdmin } from "./rules";

describe("the last active admin", () => {
  const admin = { role: "ADMIN" as const, active: true };
  it("cannot lose the role or be deactivated", () => {
    expect(removesLastAdmin(admin, { role: "COORDINATOR", active: true }, 1)).toBe(true);
    expect(removesLastAdmin(admin, { role: "ADMIN", active: false }, 1)).toBe(true);
  });
  it("may, when another active admin remains", () => {
    expect(removesLastAdmin(admin, { role: "LEARNER", active: true }, 2)).toBe(false);
    expect(removesLastAdmin(admin, { role: "ADMIN", active: false }, 2)).toBe(false);
  });
  it("is not concerned by changes that keep an admin, or by other people", () => {
    expect(removesLastAdmin(admin, admin, 1)).toBe(false);
    expect(removesLastAdmin({ role: "ADMIN", active: false }, { role: "LEARNER", active: false }, 1)).toBe(false);
    expect(removesLastAdmin({ role: "TRAINER", active: true }, { role: "TRAINER", active: false }, 1)).toBe(false);
  });
});

describe("who manages people", () => {
  it("is an admin or the command line", () => {
    const user = (role: "ADMIN" | "COORDINATOR" | "TRAINER" | "LEARNER") => ({
      kind: "user" as const,
      id: "u",
      email: "u@x.vn",
      name: "U",
      role,
    });
    expect(canManageUsers(user("ADMIN"))).toBe(true);
    expect(canManageUsers({ kind: "cli" })).toBe(true);
    expect(canManageUsers(user("COORDINATOR"))).toBe(false);
    expect(canManageUsers(user("TRAINER"))).toBe(false);
    expect(canManageUsers(user("LEARNER"))).toBe(false);
  });
});

describe("scope", () => {
  it("is kept only for coordinators and trainers", () => {
    const province = { kind: "province" as const, province: "Hà Giang" };
    expect(effectiveScope("COORDINATOR", province)).toEqual(province);
    expect(effectiveScope("TRAINER", province)).toEqual(province);
    expect(effectiveScope("LEARNER", province)).toEqual({ kind: "national" });
    expect(effectiveScope("ADMIN", province)).toEqual({ kind: "national" });
  });

  it("travels in the list's query string", () => {
    expect(parseScopeFilter("national")).toEqual({ kind: "national" });
    expect(parseScopeFilter("province:cur-ha-noi")).toEqual({ kind: "province", code: "cur-ha-noi" });
    expect(parseScopeFilter("agency:MOJ")).toEqual({ kind: "agency", code: "MOJ" });
    expect(parseScopeFilter("ward:x")).toBeNull();
    expect(parseScopeFilter("province:'; DROP")).toBeNull();
  });
});

describe("forms", () => {
  it("accept an invitation with one unit at most", () => {
    const ok = InviteFormSchema.safeParse({
      email: " Mai@Example.VN ",
      name: "Nguyễn Thị Mai",
      role: "COORDINATOR",
      province: "cur-ha-noi",
      locale: "vi",
    });
    expect(ok.success && ok.data).toMatchObject({ email: "mai@example.vn", agency: "" });
    expect(ok.success && scopeRequest(ok.data)).toEqual({ kind: "province", province: "cur-ha-noi" });
    const both = InviteFormSchema.safeParse({
      email: "a@b.vn",
      name: "An",
      role: "TRAINER",
      province: "x",
      agency: "MOJ",
    });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0]).toMatchObject({ path: ["agency"], message: "people:validation.oneUnit" });
    const bad = InviteFormSchema.safeParse({ email: "not-an-email", name: "A", role: "KING" });
    expect(bad.error?.issues.map((i) => i.message).sort()).toEqual([
      "people:validation.email",
      "people:validation.name",
      "people:validation.role",
    ]);
  });

  it("read the list's query string, dropping what does not parse", () => {
    const query = parseUserListQuery(
      new URL("http://x/admin/users?q=mai&role=KING&status=throttled&scope=province:cur-hue&page=-3"),
    );
    expect(query).toEqual({
      q: "mai",
      role: undefined,
      status: "throttled",
      scope: { kind: "province", code: "cur-hue" },
      page: 1,
    });
  });
});
