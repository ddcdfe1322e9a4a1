import type { Role } from "~/generated/prisma-sqlite/enums";
import type { Expression, SqlBool } from "kysely";
import { requireRole, type SessionUser } from "~/auth/auth.server";
import { fragment } from "~/db/sql.server";

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
  return {
    kind: "user",
    id: user.id,
    role: user.role,
    scopeProvinceId: user.scopeProvinceId,
    scopeAgencyId: user.scopeAgencyId,
  };
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
 * THE scope filter, over the "provinceId" and "agencyId" columns of a table
 * that has them (RosterPerson and CoverageFact both do), given as typed
 * references from the query's builder:
 *
 *   .where((eb) => scopeFilter(actor, eb.ref("p.provinceId"), eb.ref("p.agencyId")))
 *
 * "1=1" for the national level.
 */
export function scopeFilter(
  actor: Actor,
  provinceId: Expression<string | null>,
  agencyId: Expression<string | null>,
): Expression<SqlBool> {
  const scope = scopeOf(actor);
  const parts: Expression<SqlBool>[] = [];
  if (scope.provinceId !== null) parts.push(fragment<SqlBool>`${provinceId} = ${scope.provinceId}`);
  if (scope.agencyId !== null) parts.push(fragment<SqlBool>`${agencyId} = ${scope.agencyId}`);
  return parts.length ? fragment<SqlBool>`${fragment.join(parts, fragment` AND `)}` : fragment<SqlBool>`1=1`;
}

/** For writes: may this actor create or change a person in this unit? */
export function inScope(actor: Actor, unit: { provinceId: string | null; agencyId: string | null }): boolean {
  const scope = scopeOf(actor);
  return (
    (scope.provinceId === null || scope.provinceId === unit.provinceId) &&
    (scope.agencyId === null || scope.agencyId === unit.agencyId)
  );
}
