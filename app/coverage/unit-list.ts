// A breakdown by province lists every unit the reader is responsible for,
// not only those that appear in the figures: a province that has sent no
// roster has no rows to count, and is exactly what a coordinator must see.

export type ListedUnit = {
  id: string;
  code: string;
  nameVi: string;
  nameEn: string | null;
};

export type UnitLine<R> =
  { unit: ListedUnit; figures: R } | { unit: ListedUnit; figures: null } | { unit: null; figures: R };

/**
 * The report's rows (one group, one row per unit) merged with the list of
 * units: a unit without a row gets `figures: null`; a row whose unit is not
 * in the list (no province recorded) is kept, after the named ones.
 */
export function everyUnit<R extends { unit: ListedUnit | null }>(rows: R[], units: ListedUnit[]): UnitLine<R>[] {
  const byUnit = new Map(rows.flatMap((row) => (row.unit ? [[row.unit.id, row] as const] : [])));
  const listed = new Set(units.map((u) => u.id));
  const named: UnitLine<R>[] = [
    ...units.map((unit) => ({ unit, figures: byUnit.get(unit.id) ?? null }) as UnitLine<R>),
    // Rows of units outside the list (never for a provincial coordinator, whose rows are all in their units).
    ...rows.flatMap((row) => (row.unit && !listed.has(row.unit.id) ? [{ unit: row.unit, figures: row }] : [])),
  ];
  named.sort((a, b) => a.unit!.nameVi.localeCompare(b.unit!.nameVi, "vi"));
  return [...named, ...rows.filter((row) => !row.unit).map((figures) => ({ unit: null, figures }))];
}
