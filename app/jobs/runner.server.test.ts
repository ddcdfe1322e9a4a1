import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "~/utils/db.server";
import { enqueueJob, getJob, registerJobHandler } from "./queue.server";
import { JobRunner } from "./runner.server";

// The queue's guarantees, on whichever database the suite runs against:
// every job runs exactly once per attempt, failures are retried and then
// recorded, abandoned jobs are resumed or failed, serial kinds never overlap.

const runs: string[] = [];
let failuresLeft = 0;
let active = 0;
let maxActive = 0;
const failedHook: string[] = [];

// Kinds are shared with the app; a test registers its own handlers for them.
function useHandlers() {
  registerJobHandler("email", {
    payload: z.object({ tag: z.string() }),
    run: async ({ tag }, ctx) => {
      await ctx.progress(1, 2, "half");
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new Error(`boom ${tag}`);
      }
      runs.push(tag);
      return { tag };
    },
    failed: async ({ tag }) => {
      failedHook.push(tag);
    },
  });
  registerJobHandler("import", {
    payload: z.object({ tag: z.string() }),
    serial: true,
    run: async ({ tag }) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, 30));
      active--;
      runs.push(tag);
      return null;
    },
  });
}

const runners: JobRunner[] = [];
function runner(options: ConstructorParameters<typeof JobRunner>[0] = {}) {
  const r = new JobRunner({ pollMs: 20, heartbeatMs: 200, kinds: ["email", "import"], ...options });
  runners.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  await db.job.deleteMany();
  runs.length = 0;
  failedHook.length = 0;
  failuresLeft = 0;
  active = maxActive = 0;
});

describe("job runner", () => {
  it("runs a queued job once and stores its result and progress", async () => {
    useHandlers();
    const id = await enqueueJob("email", { tag: "a" });
    const r = runner();
    await r.start();
    await r.drain();
    const job = await getJob(id);
    expect(job).toMatchObject({
      status: "DONE",
      attempts: 1,
      result: { tag: "a" },
      progressPhase: "half",
      progressDone: 1,
      progressTotal: 2,
    });
    expect(runs).toEqual(["a"]);
  });

  it("retries a failing job later, then succeeds", async () => {
    useHandlers();
    failuresLeft = 1;
    const id = await enqueueJob("email", { tag: "b" }, { maxAttempts: 3 });
    const r = runner();
    await r.start();
    await expect.poll(async () => (await getJob(id))?.attempts, { timeout: 5000 }).toBe(1);
    await expect.poll(async () => (await getJob(id))?.status).toBe("QUEUED");
    const queued = await getJob(id);
    expect(queued?.error).toBe("boom b");
    expect(queued!.runAt.getTime()).toBeGreaterThan(Date.now() + 5_000); // backs off
    // Bring the retry forward instead of waiting 15 s.
    await db.job.update({ where: { id }, data: { runAt: new Date() } });
    await r.drain();
    expect(await getJob(id)).toMatchObject({ status: "DONE", attempts: 2 });
    expect(runs).toEqual(["b"]);
  });

  it("fails a job for good when its attempts run out, and tells its domain", async () => {
    useHandlers();
    failuresLeft = 5;
    const id = await enqueueJob("email", { tag: "c" }, { maxAttempts: 1 });
    const r = runner();
    await r.start();
    await expect.poll(async () => (await getJob(id))?.status, { timeout: 5000 }).toBe("FAILED");
    expect((await getJob(id))?.error).toBe("boom c");
    await expect.poll(() => failedHook).toEqual(["c"]);
  });

  it("refuses a payload its kind's schema rejects", async () => {
    useHandlers();
    const id = await enqueueJob("email", { nope: 1 });
    const r = runner();
    await r.start();
    await expect.poll(async () => (await getJob(id))?.status, { timeout: 5000 }).toBe("FAILED");
    expect((await getJob(id))?.error).toMatch(/invalid payload/);
  });

  it("resumes a job whose runner died, and fails one that has no attempts left", async () => {
    useHandlers();
    const old = new Date(Date.now() - 120_000);
    await db.job.createMany({
      data: [
        {
          id: "dead-1",
          kind: "email",
          payload: JSON.stringify({ tag: "resumed" }),
          status: "RUNNING",
          attempts: 1,
          maxAttempts: 3,
          lockedBy: "gone",
          heartbeatAt: old,
        },
        {
          id: "dead-2",
          kind: "email",
          payload: JSON.stringify({ tag: "lost" }),
          status: "RUNNING",
          attempts: 3,
          maxAttempts: 3,
          lockedBy: "gone",
          heartbeatAt: old,
        },
        // Alive elsewhere: a fresh heartbeat is left alone.
        {
          id: "alive",
          kind: "email",
          payload: JSON.stringify({ tag: "busy" }),
          status: "RUNNING",
          attempts: 1,
          maxAttempts: 3,
          lockedBy: "other",
          heartbeatAt: new Date(),
        },
      ],
    });
    const r = runner({ staleMs: 30_000 });
    await r.start(); // recovery runs at start-up
    await expect.poll(async () => (await getJob("dead-1"))?.status, { timeout: 5000 }).toBe("DONE");
    expect(await getJob("dead-1")).toMatchObject({ attempts: 2 });
    expect(await getJob("dead-2")).toMatchObject({ status: "FAILED", error: expect.stringMatching(/interrupted/) });
    expect(failedHook).toEqual(["lost"]);
    expect((await getJob("alive"))?.status).toBe("RUNNING");
    expect(runs).toEqual(["resumed"]);
  });

  it("gives each job to exactly one of several runners", async () => {
    useHandlers();
    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => enqueueJob("email", { tag: `j${i}` })));
    const a = runner({ concurrency: 3 });
    const b = runner({ concurrency: 3 });
    await Promise.all([a.start(), b.start()]);
    await Promise.all([a.drain(), b.drain()]);
    expect(runs.sort()).toEqual(ids.map((_, i) => `j${i}`).sort());
    expect(await db.job.count({ where: { status: "DONE", attempts: 1 } })).toBe(30);
  });

  it("never runs two jobs of a serial kind at once, even across runners", async () => {
    useHandlers();
    for (let i = 0; i < 6; i++) await enqueueJob("import", { tag: `s${i}` });
    const a = runner({ concurrency: 3 });
    const b = runner({ concurrency: 3 });
    await Promise.all([a.start(), b.start()]);
    await expect.poll(() => runs.length, { timeout: 10_000 }).toBe(6);
    expect(maxActive).toBe(1);
  });

  it("records a heartbeat for /healthz while it runs", async () => {
    useHandlers();
    const r = runner();
    await r.start();
    const row = await db.jobRunner.findUnique({ where: { id: r.id } });
    expect(Date.now() - row!.heartbeatAt.getTime()).toBeLessThan(5_000);
    await r.stop();
    expect(await db.jobRunner.findUnique({ where: { id: r.id } })).toBeNull();
  });
});
