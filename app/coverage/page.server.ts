import type { TFunction } from "i18next";
import { SCHEME_START } from "~/catalog/conventions";
import { fixedT } from "~/i18n-instances.server";
import i18nextServer from "~/i18next.server";
import { isLanguage } from "~/i18n";
import { errorPageHtml } from "~/utils/client-error.server";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { parseCoverageQuery, type CoverageQuery } from "./query";
import { loadGroups } from "./report.server";
import { requireCoverageActor, scopeOf, type Actor } from "./scope.server";

/** What every coverage page starts with: a coordinator or admin, the parsed query, their language. */
export async function coveragePage(request: Request) {
  const { user, actor } = await requireCoverageActor(request);
  const query = parseCoverageQuery(new URL(request.url));
  const lang = await i18nextServer.getLocale(request);
  const t = await fixedT(lang, "coverage");
  return { user, actor, query, lang, t };
}

/** "Scope: Hà Nội" for the page header. */
export async function scopeLabel(actor: Actor): Promise<{ key: "national" | "province" | "agency"; name: string }> {
  const scope = scopeOf(actor);
  if (scope.provinceId) {
    const province = await db.province.findUnique({ where: { id: scope.provinceId }, select: { nameVi: true } });
    return { key: "province", name: province?.nameVi ?? "" };
  }
  if (scope.agencyId) {
    const agency = await db.agency.findUnique({ where: { id: scope.agencyId }, select: { nameVi: true } });
    return { key: "agency", name: agency?.nameVi ?? "" };
  }
  return { key: "national", name: "" };
}

/**
 * The names of the units a list is filtered by, for its heading. Only names:
 * what the list holds is what the actor's scope allows.
 */
export async function filterUnitNames(filter: { agency?: string; former?: string }) {
  const [agency, former] = await Promise.all([
    filter.agency ? db.agency.findUnique({ where: { id: filter.agency }, select: { nameVi: true } }) : null,
    filter.former ? db.province.findUnique({ where: { id: filter.former }, select: { nameVi: true } }) : null,
  ]);
  return { agency, former };
}

/** The current provinces this actor may see, for pickers and the matrix. */
export async function provincesInScope(actor: Actor) {
  const scope = scopeOf(actor);
  return db.province.findMany({
    where: { era: "CURRENT_34", ...(scope.provinceId ? { id: scope.provinceId } : {}) },
    select: { id: true, code: true, nameVi: true, nameEn: true },
    orderBy: { nameVi: "asc" },
  });
}

/** The group a page is about (the one asked for, else the first), and all groups for the picker. */
export async function groupChoice(query: Pick<CoverageQuery, "group">) {
  const all = await loadGroups();
  const chosen = all.find((g) => g.code === query.group) ?? all[0];
  const brief = (g: (typeof all)[number]) => ({ code: g.code, nameVi: g.nameVi, nameEn: g.nameEn });
  return { chosen, group: chosen ? brief(chosen) : null, groups: all.map(brief) };
}

/**
 * The provincial units a breakdown by province lists for this actor, in the
 * era asked for: all 34 current (or 63 former) units nationally, a provincial
 * coordinator's own unit (or the former units it was formed from). null for
 * an agency's coordinator: an agency has people in a few provinces only, and
 * the others are not missing rosters; they see the units in their figures.
 */
export async function provinceUnitsInScope(actor: Actor, era: "current" | "former") {
  const scope = scopeOf(actor);
  if (scope.agencyId) return null;
  const where =
    era === "current"
      ? { era: "CURRENT_34" as const, ...(scope.provinceId ? { id: scope.provinceId } : {}) }
      : { era: "FORMER_63" as const, ...(scope.provinceId ? { successorId: scope.provinceId } : {}) };
  return db.province.findMany({ where, select: { id: true, code: true, nameVi: true, nameEn: true } });
}

/**
 * A download asked for a date that cannot be used: a 400 that says why, in
 * the reader's language. A file of today's figures named after another day
 * would be worse than none.
 */
export function asOfRefusal(query: CoverageQuery, t: TFunction, lang: string): Response | null {
  if (!query.asOfProblem) return null;
  const problem = t(`asOf.problem.${query.asOfProblem}`, {
    value: query.asOfInput ?? "",
    start: formatDate(SCHEME_START, lang),
  });
  const html = errorPageHtml(isLanguage(lang) ? lang : "vi", {
    status: 400,
    title: t("common:errors.badRequest.title"),
    body: t("asOf.downloadRefused", { problem }),
  });
  return new Response(html, {
    status: 400,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}
