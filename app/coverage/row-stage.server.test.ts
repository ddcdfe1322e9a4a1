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
  it("gives the rows back as they were added, a batch at a time", () => {
    const stage = new RowStage<Row>();
    try {
      stage.add([row(0), row(1)]);
      stage.add([]);
      stage.add([row(2), row(3), row(4)]);
      expect(stage.size).toBe(5);
      expect([...stage.batches()]).toEqual([
        [row(0), row(1)],
        [row(2), row(3), row(4)],
      ]);
      // A write that fails stops reading midway; the stage can still be read again, and closed.
      for (const batch of stage.batches()) {
        expect(batch).toHaveLength(2);
        break;
      }
      expect([...stage.batches()].flat()).toEqual([0, 1, 2, 3, 4].map(row));
    } finally {
      stage.close();
    }
  });

  it("gives no batch when nothing was staged", () => {
    const stage = new RowStage<Row>();
    expect([...stage.batches()]).toEqual([]);
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
      for (const batch of stage.batches()) {
        expect(batch[0]).toEqual(row(seen));
        seen += batch.length;
      }
      expect(seen).toBe(40_000);
      stage.close();
      expect(unlinkedFiles().length).toBe(before);
    },
  );
});
