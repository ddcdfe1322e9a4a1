import type { Role } from "~/generated/prisma-sqlite/enums";
import { requireRole, type SessionUser } from "~/auth/auth.server";

// Who asks decides which roster people a coverage read or write may touch.
// Every coverage query takes an Actor and gets its filter from scopeFilter():
// dashboard, breakdowns, drill-downs, exports, roster pages, imports and the
// CLI (which acts as the national level).

export type Actor =
  | { kind: "user"; id: string; role: Role; scopeProvinceId: string | null; scopeAgencyId: string | null }
  | { kind: "system" };

export const SYSTEM_ACTOR: Actor = { kind: "system" };

export const COVERAGE_ROLES = ["COORDINATOR", "ADMIN"] as const satisfies readonly Role[];

export function actorOf(user: Pick<SessionUser, "id" | "role" | "scopeProvinceId" | "scopeAgencyId">): Actor {
  return { kind: "user", id: user.id, role: user.role, scopeProvinceId: user.scopeProvinceId, scopeAgencyId: user.scopeAgencyId };
}

/** A signed-in coordinator or admin, as an Actor; anyone else gets 403. */
export async function requireCoverageActor(request: Request): Promise<{ user: SessionUser; actor: Actor }> {
  const user = await requireRole(request, COVERAGE_ROLES);
  return { user, actor: actorOf(user) };
}

export type Scope = { provinceId: string | null; agencyId: string | null };

/** null on a field: no limit on it. A user with neither is national. */
export function scopeOf(actor: Actor): Scope {
  if (actor.kind === "system") return { provinceId: null, agencyId: null };
  return { provinceId: actor.scopeProvinceId, agencyId: actor.scopeAgencyId };
}

export function isNational(actor: Actor): boolean {
  const scope = scopeOf(actor);
  return scope.provinceId === null && scope.agencyId === null;
}

/**
 * THE scope filter, as SQL over a table with "provinceId" and "agencyId"
 * columns (RosterPerson and CoverageFact both have them). `alias` qualifies
 * the columns. Returns "1=1" for the national level.
 */
export function scopeFilter(actor: Actor, alias?: string): { sql: string; params: string[] } {
  const scope = scopeOf(actor);
  const col = (name: string) => (alias ? `${alias}."${name}"` : `"${name}"`);
  const parts: string[] = [];
  const params: string[] = [];
  if (scope.provinceId !== null) {
    parts.push(`${col("provinceId")} = ?`);
    params.push(scope.provinceId);
  }
  if (scope.agencyId !== null) {
    parts.push(`${col("agencyId")} = ?`);
    params.push(scope.agencyId);
  }
  return { sql: parts.length ? parts.join(" AND ") : "1=1", params };
}

/** For writes: may this actor create or change a person in this unit? */
export function inScope(actor: Actor, unit: { provinceId: string | null; agencyId: string | null }): boolean {
  const scope = scopeOf(actor);
  return (scope.provinceId === null || scope.provinceId === unit.provinceId) && (scope.agencyId === null || scope.agencyId === unit.agencyId);
}
