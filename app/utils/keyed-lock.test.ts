import { describe, expect, it } from "vitest";
import { withKeyLock } from "./keyed-lock";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("withKeyLock", () => {
  it("runs work for one key one at a time, in order, and other keys alongside", async () => {
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const job = (key: string, name: string) =>
      withKeyLock(key, async () => {
        running++;
        most = Math.max(most, running);
        log.push(`${name}+`);
        await tick();
        log.push(`${name}-`);
        running--;
        return name;
      });
    const results = await Promise.all([job("a", "a1"), job("a", "a2"), job("b", "b1"), job("a", "a3")]);
    expect(results).toEqual(["a1", "a2", "b1", "a3"]);
    const a = log.filter((entry) => entry.startsWith("a"));
    expect(a).toEqual(["a1+", "a1-", "a2+", "a2-", "a3+", "a3-"]);
    expect(most).toBe(2); // b ran beside a
  });

  it("lets the next caller in when work fails", async () => {
    await expect(withKeyLock("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await withKeyLock("k", async () => "after")).toBe("after");
  });
});
