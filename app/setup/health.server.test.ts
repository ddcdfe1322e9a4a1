import { afterEach, describe, expect, it } from "vitest";
import { makeMediaReadOnly, reportDiskNearlyFull, restoreStorage } from "../../tests/helpers/storage-faults";
import { JobRunner } from "~/jobs/runner.server";
import { db } from "~/utils/db.server";
import { loader } from "~/routes/healthz";
import { checkHealth } from "./health.server";

describe("/healthz", () => {
  it("is unhealthy without a job runner, healthy with one, and unhealthy with a migration missing", async () => {
    expect(await checkHealth()).toMatchObject({ ok: false, database: "ok", migrations: "current", jobRunner: "none" });
    expect((await loader()).status).toBe(503);
    const runner = new JobRunner({ kinds: [] });
    await runner.start();
    expect(await checkHealth()).toMatchObject({ ok: true, database: "ok", migrations: "current", jobRunner: "ok" });
    const response = await loader();
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ ok: true });
    // A runner that stopped beating a while ago no longer counts.
    expect(await checkHealth(new Date(Date.now() + 5 * 60_000))).toMatchObject({ ok: false, jobRunner: "stale" });
    await runner.stop();

    const [last] = await db.$queryRawUnsafe<{ name: string }[]>(
      `SELECT "name" FROM "_migrations" ORDER BY "name" DESC LIMIT 1`,
    );
    await db.$executeRawUnsafe(`DELETE FROM "_migrations" WHERE "name" = '${last!.name}'`);
    expect(await checkHealth()).toMatchObject({ ok: false, migrations: "pending" });
  });

  describe("the media folder", () => {
    afterEach(restoreStorage);

    it("is reported ok, read-only or full", async () => {
      expect(await checkHealth()).toMatchObject({ media: "ok" });
      makeMediaReadOnly();
      expect(await checkHealth()).toMatchObject({ media: "read-only" });
      const body = (await (await loader()).json()) as { media: string };
      expect(body.media).toBe("read-only");
      restoreStorage();
      reportDiskNearlyFull();
      expect(await checkHealth()).toMatchObject({ media: "full" });
    });
  });
});
