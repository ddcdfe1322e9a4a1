// An import upload is written to disk while it arrives and counted against
// the limit as it goes: too large, cut off or not our form, it is refused
// and leaves no file behind; accepted, it becomes the import job's file.
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { IMPORT_MAX_MB, importUploadsDir } from "~/coverage/upload.server";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import * as upload from "~/routes/coverage.upload";
import { createCoordinator, ROSTER_HEAD } from "../helpers/coverage";

let cookie = "";
beforeAll(async () => {
  await seedReferenceData();
  const { user } = await createCoordinator("import.spool@example.vn");
  const token = generateSessionToken();
  await createSession(token, user.id);
  cookie = `${SESSION_COOKIE}=${token}`;
});

const BOUNDARY = "----spool-test-boundary";
const MB = 1024 * 1024;

/** A multipart body streamed a megabyte at a time: `fileMb` megabytes of file, optionally cut off with an error. */
function multipart(
  fileMb: number,
  options: { kind?: string; breakAfterMb?: number; beforeBreak?: () => Promise<void> } = {},
): ReadableStream<Uint8Array> {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${options.kind ?? "roster"}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n${ROSTER_HEAD}\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const row = Buffer.from("X1,Tên,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n");
  const megabyte = Buffer.alloc(MB, row.toString().repeat(Math.ceil(MB / row.length)));
  let sent = -1;
  return new ReadableStream({
    async pull(controller) {
      if (sent === -1) controller.enqueue(new Uint8Array(head));
      else if (options.breakAfterMb !== undefined && sent >= options.breakAfterMb) {
        await options.beforeBreak?.();
        return controller.error(new Error("connection reset"));
      } else if (sent < fileMb) controller.enqueue(new Uint8Array(megabyte));
      else {
        controller.enqueue(new Uint8Array(tail));
        return controller.close();
      }
      sent++;
    },
  });
}

function post(body: ReadableStream<Uint8Array> | FormData) {
  const headers: Record<string, string> = { Cookie: cookie };
  if (!(body instanceof FormData)) headers["Content-Type"] = `multipart/form-data; boundary=${BOUNDARY}`;
  return new Request("http://localhost/coverage/upload", {
    method: "POST",
    body,
    headers,
    duplex: "half",
  } as RequestInit);
}

async function spooledFiles(): Promise<string[]> {
  return (await readdir(importUploadsDir()).catch(() => [] as string[])).filter((name) => name.endsWith(".part"));
}

describe("the import upload on disk", () => {
  it(`refuses a file over ${IMPORT_MAX_MB} MB as it arrives, with the translated message, and keeps no part of it`, async () => {
    const before = await db.dataImport.count();
    const response = await upload.action({ request: post(multipart(IMPORT_MAX_MB + 2)), params: {}, context: {} });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ ok: false, reason: "tooLarge", params: { mb: IMPORT_MAX_MB } });
    expect(await spooledFiles()).toEqual([]);
    expect(await db.dataImport.count()).toBe(before);
  });

  it("writes the file to disk as it arrives; cut off halfway, it is refused and no part of it stays", async () => {
    let whileArriving: { name: string; size: number }[] = [];
    const beforeBreak = async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      whileArriving = await Promise.all(
        (await spooledFiles()).map(async (name) => ({
          name,
          size: (await stat(path.join(importUploadsDir(), name))).size,
        })),
      );
    };
    const response = await upload.action({
      request: post(multipart(8, { breakAfterMb: 3, beforeBreak })),
      params: {},
      context: {},
    });
    expect(whileArriving).toHaveLength(1);
    expect(whileArriving[0]!.name).toMatch(/^upload-[0-9a-f]{24}\.part$/);
    expect(whileArriving[0]!.size).toBeGreaterThan(2 * MB);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, reason: "unreadableForm" });
    expect(await spooledFiles()).toEqual([]);
  });

  it("removes the file of a form it does not accept", async () => {
    const response = await upload.action({ request: post(multipart(1, { kind: "payroll" })), params: {}, context: {} });
    expect(await response.json()).toMatchObject({ ok: false, reason: "noFile" });
    expect(await spooledFiles()).toEqual([]);
  });

  it("refuses a form with more fields than ours has", async () => {
    const form = new FormData();
    for (let i = 0; i < 50; i++) form.append(`field${i}`, "x");
    const response = await upload.action({ request: post(form), params: {}, context: {} });
    expect(await response.json()).toMatchObject({ ok: false, reason: "unreadableForm" });
  });

  it("moves an accepted upload to its import job's file", async () => {
    const form = new FormData();
    form.set("kind", "roster");
    form.set(
      "file",
      new File([`${ROSTER_HEAD}\nSP-1,Người Một,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`], "r.csv", { type: "text/csv" }),
    );
    const response = await upload.action({ request: post(form), params: {}, context: {} });
    const { importId } = (await response.json()) as { importId: string };
    const record = await db.dataImport.findUniqueOrThrow({ where: { id: importId } });
    expect(await spooledFiles()).toEqual([]);
    expect(await readdir(importUploadsDir())).toContain(record.jobId);
  });
});
