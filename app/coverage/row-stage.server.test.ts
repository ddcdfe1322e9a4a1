import { readdirSync, readlinkSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RowStage } from "./row-stage.server";

type Row = {
  code: string;
  name: string;
  groups: { id: string; day: number | null }[];
  existing: null | { id: string };
};

const row = (i: number): Row => ({
  code: `P${i}`,
  name: `Nguyễn Thị ${i} — “đã kiểm tra”`,
  groups: [{ id: "g1", day: i % 2 ? null : i }],
  existing: i % 3 ? null : { id: `id${i}` },
});

/** Files this process holds open that are no longer in any directory. */
function unlinkedFiles(): string[] {
  return readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.endsWith(" (deleted)") ? [target] : [];
    } catch {
      return [];
    }
  });
}

describe("RowStage", () => {
  it("gives the rows back as they were added, in groups of the size asked for", () => {
    const stage = new RowStage<Row>();
    try {
      stage.add([row(0), row(1)]);
      stage.add([]);
      stage.add([row(2), row(3), row(4)]);
      expect(stage.size).toBe(5);
      const groups = [...stage.groups(2)];
      expect(groups.map((g) => g.length)).toEqual([2, 2, 1]);
      expect(groups.flat()).toEqual([0, 1, 2, 3, 4].map(row));
      // Read again from the start: the stage is not consumed.
      expect([...stage.groups(10)]).toEqual([[0, 1, 2, 3, 4].map(row)]);
      expect(() => stage.groups(0).next()).toThrow(RangeError);
      // A write that fails stops reading midway; the stage can still be read and closed.
      for (const group of stage.groups(2)) {
        expect(group).toHaveLength(2);
        break;
      }
      expect([...stage.groups(5)].flat()).toHaveLength(5);
    } finally {
      stage.close();
    }
  });

  it("gives no group when nothing was staged", () => {
    const stage = new RowStage<Row>();
    expect([...stage.groups(100)]).toEqual([]);
    stage.close();
    stage.close();
  });

  it.runIf(process.platform === "linux")(
    "keeps its rows in a file no directory lists, which goes when it is closed",
    () => {
      const before = unlinkedFiles().length;
      const stage = new RowStage<Row>();
      // More than its page cache holds, so the rows are on disk.
      for (let i = 0; i < 20; i++) stage.add(Array.from({ length: 2_000 }, (_, j) => row(i * 2_000 + j)));
      expect(unlinkedFiles().length).toBeGreaterThan(before);
      expect(stage.size).toBe(40_000);
      let seen = 0;
      for (const group of stage.groups(7_000)) {
        expect(group[0]).toEqual(row(seen));
        seen += group.length;
      }
      expect(seen).toBe(40_000);
      stage.close();
      expect(unlinkedFiles().length).toBe(before);
    },
  );
});
