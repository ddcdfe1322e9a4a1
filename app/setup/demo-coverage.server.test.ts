import { describe, expect, it } from "vitest";
import { ROSTER_HEADER, TRAINING_HEADER } from "~/coverage/import-columns";
import { demoFiles } from "./demo-coverage.server";

describe("demo coverage files", () => {
  it("are headed by the importers' column lists", () => {
    const files = demoFiles(3);
    expect(files.roster.split("\n")[0]).toBe(ROSTER_HEADER.join(","));
    expect(files.training.split("\n")[0]).toBe(TRAINING_HEADER.join(","));
  });
});
