// The columns of the two import files, in template order: the importers check
// a file's header against these lists, the templates are these lists, and the
// import page prints them. Free of server code so the page can show them.

export const ROSTER_COLUMNS = [
  { name: "personnel_code", required: true },
  { name: "full_name", required: true },
  { name: "email", required: false },
  { name: "agency", required: true },
  { name: "province", required: true },
  { name: "target_groups", required: true },
  { name: "position", required: false },
  { name: "joined_on", required: false },
  { name: "left_on", required: false },
] as const;

export type RosterColumn = (typeof ROSTER_COLUMNS)[number]["name"];

export const ROSTER_HEADER: readonly RosterColumn[] = ROSTER_COLUMNS.map((column) => column.name);

export const TRAINING_HEADER = ["personnel_code", "course_code", "completed_on", "mode"] as const;

export type TrainingColumn = (typeof TRAINING_HEADER)[number];

/** The header check's view of a column list: which must be present, which may be. */
export function headerRule(columns: readonly { name: string; required: boolean }[]): {
  required: string[];
  optional: string[];
} {
  return {
    required: columns.filter((column) => column.required).map((column) => column.name),
    optional: columns.filter((column) => !column.required).map((column) => column.name),
  };
}
