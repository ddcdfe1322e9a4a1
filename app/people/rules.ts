import type { Role } from "~/generated/prisma-sqlite/enums";

// The rules of managing people, free of the database: who may manage, which
// scope a role can carry, and when a change would leave nobody to administer.

export const ROLES = ["LEARNER", "TRAINER", "COORDINATOR", "ADMIN"] as const satisfies readonly Role[];

/** Who acts: a signed-in user, or the command line (trusted: it has the database). */
export type PeopleActor = { kind: "user"; id: string; email: string; name: string; role: Role } | { kind: "cli" };

// Rows per page of the people list; shared by the loader and the pager.
export const USERS_PAGE_SIZE = 50;

export const CLI_PEOPLE_ACTOR: PeopleActor = { kind: "cli" };

export function canManageUsers(actor: PeopleActor): boolean {
  return actor.kind === "cli" || actor.role === "ADMIN";
}

/** Org-unit scope as an admin asks for it; the unit is named by id, code or (provinces) any of the 34/63 names. */
export type ScopeRequest =
  { kind: "national" } | { kind: "province"; province: string } | { kind: "agency"; agency: string };

/** Only coordinators and trainers work for a unit; a learner's or an admin's scope is always national. */
export function roleHasScope(role: Role): boolean {
  return role === "COORDINATOR" || role === "TRAINER";
}

export function effectiveScope(role: Role, scope: ScopeRequest): ScopeRequest {
  return roleHasScope(role) ? scope : { kind: "national" };
}

/**
 * Would this change leave no active admin? `activeAdmins` counts the active
 * admins before the change, the target included.
 */
export function removesLastAdmin(
  target: { role: Role; active: boolean },
  after: { role: Role; active: boolean },
  activeAdmins: number,
): boolean {
  const wasActiveAdmin = target.role === "ADMIN" && target.active;
  const staysActiveAdmin = after.role === "ADMIN" && after.active;
  return wasActiveAdmin && !staysActiveAdmin && activeAdmins <= 1;
}

/** Only people who can author may own a course. */
export function canOwnCourses(role: Role): boolean {
  return role === "TRAINER" || role === "ADMIN";
}

export type UserStatus = "active" | "deactivated" | "throttled" | "unverified";
export const USER_STATUSES = [
  "active",
  "deactivated",
  "throttled",
  "unverified",
] as const satisfies readonly UserStatus[];

/**
 * The scope filter of the people list, as it travels in a query string:
 * "national", "province:<code>" or "agency:<code>".
 */
export type ScopeFilter = { kind: "national" } | { kind: "province"; code: string } | { kind: "agency"; code: string };

export function parseScopeFilter(value: string | null | undefined): ScopeFilter | null {
  if (!value) return null;
  if (value === "national") return { kind: "national" };
  const match = /^(province|agency):([A-Za-z0-9_-]{1,60})$/.exec(value);
  if (!match) return null;
  return { kind: match[1] as "province" | "agency", code: match[2]! };
}

export function scopeFilterValue(filter: ScopeFilter): string {
  return filter.kind === "national" ? "national" : `${filter.kind}:${filter.code}`;
}
