import { describe, expect, it } from "vitest";
import { headerRule, ROSTER_COLUMNS, ROSTER_HEADER, TRAINING_HEADER } from "./import-columns";
import { rosterImporter } from "./roster-import.server";
import { trainingImporter } from "./training-import.server";

describe("import columns", () => {
  it("are the lists the importers check a header against", () => {
    expect([...rosterImporter.columns.required, ...rosterImporter.columns.optional].sort()).toEqual(
      [...ROSTER_HEADER].sort(),
    );
    expect(rosterImporter.columns.required).toEqual([
      "personnel_code",
      "full_name",
      "agency",
      "province",
      "target_groups",
    ]);
    expect(trainingImporter.columns).toEqual({ required: [...TRAINING_HEADER], optional: [] });
  });

  it("keep template order when split into required and optional", () => {
    expect(headerRule(ROSTER_COLUMNS)).toEqual({
      required: ["personnel_code", "full_name", "agency", "province", "target_groups"],
      optional: ["email", "position", "joined_on", "left_on"],
    });
  });
});
