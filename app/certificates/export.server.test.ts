import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { jobHandler } from "~/jobs/queue.server";
import { JobRunner } from "~/jobs/runner.server";
import { recordCourseCompletion } from "~/learning/course-completion.server";
import { loader as downloadLoader } from "~/routes/coverage.certificates.$jobId[.zip]";
import { action as exportAction } from "~/routes/coverage.certificates._index";
import { db } from "~/utils/db.server";
import { createCoordinator, importRosterCsv, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { createPublishedCourse, createLearner } from "../../tests/helpers/fixtures";
import { pdfText } from "../../tests/helpers/pdf";
import {
  asciiSlug,
  certificateExportJob,
  countExport,
  EXPORT_TTL_MS,
  exportFile,
  parseExportForm,
  startCertificateExport,
  type ExportFilter,
} from "./export.server";

// The coordinators' export, through the real job runner: scope (a provincial
// coordinator's ZIP holds only their province's people), the CSV, progress,
// who may download, and the file's one day.

function readZip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(files));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

let runner: JobRunner;
let course: Awaited<ReturnType<typeof createPublishedCourse>>;
let otherCourse: Awaited<ReturnType<typeof createPublishedCourse>>;
let hanoi: Awaited<ReturnType<typeof createCoordinator>>;
let national: Awaited<ReturnType<typeof createCoordinator>>;
const codes: Record<string, string> = {};

async function linkedLearner(personnelCode: string, name: string) {
  const learner = await createLearner();
  await db.user.update({ where: { id: learner.id }, data: { name } });
  await db.rosterPerson.update({ where: { personnelCode }, data: { userId: learner.id } });
  return learner;
}

async function complete(userId: string, courseId: string, at: string, key: string) {
  await recordCourseCompletion(userId, courseId, new Date(at));
  codes[key] = (
    await db.courseCompletion.findFirstOrThrow({ where: { userId, courseId }, select: { certificateCode: true } })
  ).certificateCode;
}

async function runExport(actor: typeof hanoi, filter: ExportFilter) {
  const started = await startCertificateExport(actor.actor, actor.user.id, filter, "vi");
  if (!started.ok) throw new Error(`export refused: ${started.reason}`);
  await expect
    .poll(async () => (await db.job.findUniqueOrThrow({ where: { id: started.jobId } })).status, {
      timeout: 60_000,
      interval: 100,
    })
    .toMatch(/DONE|FAILED/);
  const job = await db.job.findUniqueOrThrow({ where: { id: started.jobId } });
  expect(job.error).toBeNull();
  return job;
}

beforeAll(async () => {
  course = await createPublishedCourse();
  otherCourse = await createPublishedCourse();
  await importRosterCsv(
    `${ROSTER_HEAD}\n` +
      `HN-1,Trần Văn Hà,hn1@example.vn,Bộ Công an,Hà Nội,HR_WORK,,,\n` +
      `HN-2,=Lê Thị Hồng,hn2@example.vn,Bộ Công an,Hà Nội,HR_WORK,,,\n` +
      `DN-1,Phạm Đà Nẵng,dn1@example.vn,Bộ Công an,Đà Nẵng,HR_WORK,,,\n`,
  );
  const hn1 = await linkedLearner("HN-1", "Trần Văn Hà");
  const hn2 = await linkedLearner("HN-2", "=Lê Thị Hồng");
  const dn1 = await linkedLearner("DN-1", "Phạm Đà Nẵng");
  const loner = await createLearner();
  await complete(hn1.id, course.id, "2026-11-10T03:00:00Z", "hn1");
  await complete(hn2.id, course.id, "2026-11-20T17:30:00Z", "hn2"); // 00:30 on 21 November in Vietnam
  await complete(hn2.id, otherCourse.id, "2026-11-12T03:00:00Z", "hn2other");
  await complete(dn1.id, course.id, "2026-11-11T03:00:00Z", "dn1");
  await complete(loner.id, course.id, "2026-11-12T03:00:00Z", "loner");
  await db.courseCompletion.update({
    where: { certificateCode: codes.hn1 },
    data: { revokedAt: new Date("2026-11-25T00:00:00Z"), revokedReason: "Cấp nhầm" },
  });
  hanoi = await createCoordinator("export.hanoi@example.vn", { provinceCode: "cur-ha-noi" });
  national = await createCoordinator("export.national@example.vn");
  runner = new JobRunner({
    pollMs: 50,
    heartbeatMs: 500,
    kinds: ["certificates-export", "certificates-export-expiry"],
  });
  await runner.start();
});

afterAll(async () => {
  await runner.stop();
});

describe("the coordinators' certificate export", () => {
  it("gives a provincial coordinator a ZIP of their province's certificates only, with a CSV, and shows the progress", async () => {
    expect(await countExport(hanoi.actor, { courseId: course.id })).toBe(2);
    const job = await runExport(hanoi, { courseId: course.id });
    expect([job.progressDone, job.progressTotal]).toEqual([2, 2]);
    const view = await certificateExportJob(job.id, { id: hanoi.user.id, actor: hanoi.actor });
    expect(view).toMatchObject({ status: "DONE", downloadable: true, result: { count: 2, revoked: 1 } });

    const file = await exportFile(job.id, { id: hanoi.user.id, actor: hanoi.actor });
    const zip = await readZip(file!.path);
    const names = [...zip.keys()].sort();
    expect(names).toEqual([
      "certificates.csv",
      `${course.code}/2026-11-10_tran-van-ha_${codes.hn1}.pdf`,
      `${course.code}/2026-11-21_le-thi-hong_${codes.hn2}.pdf`,
    ]);
    expect(await pdfText(new Uint8Array(zip.get(names[1]!)!))).toContain("Trần Văn Hà");
    expect(await pdfText(new Uint8Array(zip.get(names[1]!)!))).toContain("ĐÃ THU HỒI");

    const csv = zip.get("certificates.csv")!.toString("utf8");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const lines = csv.slice(1).trim().split("\r\n");
    expect(lines[0]).toBe(
      "Họ tên (tài khoản),Họ tên (danh sách nhân sự),Mã nhân sự,Cơ quan,Tỉnh/thành,Mã khóa học,Khóa học,Công ước,Ngày hoàn thành,Mã chứng nhận,Địa chỉ kiểm tra,Ngày thu hồi,Lý do thu hồi,Tệp PDF",
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`Trần Văn Hà,Trần Văn Hà,HN-1,`);
    expect(lines[1]).toContain(
      `,2026-11-10,${codes.hn1},http://localhost:3000/certificates/${codes.hn1},2026-11-25,Cấp nhầm,`,
    );
    // A name a spreadsheet would run as a formula is written as text.
    expect(lines[2]).toMatch(/^'=Lê Thị Hồng,'=Lê Thị Hồng,HN-2,/);
    expect(csv).not.toContain(codes.dn1);
    expect(csv).not.toContain(codes.loner);
  });

  it("gives the national level every certificate of the period, linked to a roster person or not", async () => {
    const filter = await parseExportForm({ course: "", from: "2026-11-11", to: "2026-11-12" });
    expect(filter.ok).toBe(true);
    const job = await runExport(national, (filter as { filter: ExportFilter }).filter);
    const zip = await readZip((await exportFile(job.id, { id: national.user.id, actor: national.actor }))!.path);
    const csv = zip.get("certificates.csv")!.toString("utf8");
    for (const key of ["dn1", "loner", "hn2other"]) expect(csv).toContain(codes[key]);
    for (const key of ["hn1", "hn2"]) expect(csv).not.toContain(codes[key]);
  });

  it("lets only the person who asked download it, in the scope they had, within a day, and records each download", async () => {
    const job = await runExport(hanoi, { courseId: otherCourse.id });
    const own = { id: hanoi.user.id, actor: hanoi.actor };
    expect(await exportFile(job.id, own)).not.toBeNull();
    expect(await exportFile(job.id, { id: national.user.id, actor: national.actor })).toBeNull();
    expect(await certificateExportJob(job.id, { id: national.user.id, actor: national.actor })).toBeNull();
    const moved = { ...hanoi.actor, scopeProvinceId: null };
    expect(await exportFile(job.id, { id: hanoi.user.id, actor: moved })).toBeNull();
    expect(await exportFile(job.id, own, new Date(Date.now() + EXPORT_TTL_MS + 60_000))).toBeNull();

    const token = generateSessionToken();
    await createSession(token, hanoi.user.id);
    const request = (jobId: string) =>
      new Request(`http://localhost/coverage/certificates/${jobId}.zip`, {
        headers: { Cookie: `${SESSION_COOKIE}=${token}` },
      });
    const response = (await downloadLoader({
      request: request(job.id),
      params: { jobId: job.id },
      context: {},
    })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/zip");
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="chung-nhan-\d{4}-\d{2}-\d{2}-[A-Za-z0-9_-]+\.zip"$/,
    );
    expect((await response.arrayBuffer()).byteLength).toBe(Number(response.headers.get("Content-Length")));
    const audit = await db.auditEvent.findFirst({
      where: { action: "export.personal_data", actorId: hanoi.user.id, targetId: "certificates" },
    });
    expect(audit).not.toBeNull();
    const refused = await Promise.resolve(
      downloadLoader({ request: request("nope"), params: { jobId: "nope" }, context: {} }),
    ).catch((e: unknown) => e as Response);
    expect((refused as Response).status).toBe(404);

    // The file is removed when its day is over, by the job queued for that moment.
    const expiry = await db.job.findFirstOrThrow({
      where: { kind: "certificates-export-expiry", payload: { contains: job.id } },
    });
    expect(Math.abs(expiry.runAt.getTime() - (Date.now() + EXPORT_TTL_MS))).toBeLessThan(120_000);
    const path = (await exportFile(job.id, own))!.path;
    await jobHandler("certificates-export-expiry")!.run(
      { jobId: job.id },
      {
        job: { id: expiry.id, kind: "certificates-export-expiry", attempts: 1, maxAttempts: 3, createdById: null },
        progress: async () => {},
        signal: new AbortController().signal,
      },
    );
    expect(existsSync(path)).toBe(false);
    expect(await exportFile(job.id, own)).toBeNull();
  });

  it("refuses an empty choice, bad dates, an unknown course and a choice that matches nobody, and starts nothing", async () => {
    expect(await parseExportForm({})).toEqual({ ok: false, error: "export.chooseFilter" });
    expect(await parseExportForm({ from: "2026-02-30" })).toEqual({ ok: false, error: "export.badDate" });
    expect(await parseExportForm({ from: "2026-11-12", to: "2026-11-11" })).toEqual({
      ok: false,
      error: "export.badPeriod",
    });
    expect(await parseExportForm({ course: "nosuchcourse" })).toEqual({ ok: false, error: "export.unknownCourse" });
    expect(await startCertificateExport(hanoi.actor, hanoi.user.id, { fromDay: 0, toDay: 1 }, "vi")).toEqual({
      ok: false,
      reason: "nobody",
      count: 0,
    });

    const before = await db.job.count();
    const token = generateSessionToken();
    await createSession(token, hanoi.user.id);
    const post = (body: string) =>
      exportAction({
        request: new Request("http://localhost/coverage/certificates", {
          method: "POST",
          headers: { Cookie: `${SESSION_COOKIE}=${token}`, "Content-Type": "application/x-www-form-urlencoded" },
          body,
        }),
        params: {},
        context: {},
      });
    expect(await post("course=&from=&to=")).toEqual({
      status: "invalid",
      fieldErrors: {},
      formError: { key: "export.chooseFilter" },
    });
    expect(await post("from=1999-01-01&to=1999-01-02")).toEqual({
      status: "invalid",
      fieldErrors: {},
      formError: { key: "export.nobody", values: { count: 0 } },
    });
    expect(await db.job.count()).toBe(before);
    await runner.stop(); // the job waits in the queue
    const started = (await post(`course=${otherCourse.id}`)) as Response;
    expect(started.status).toBe(302);
    expect(started.headers.get("Location")).toMatch(/^\/coverage\/certificates\/[A-Za-z0-9_-]+$/);
    const jobId = started.headers.get("Location")!.split("/").pop()!;
    // One export at a time per person.
    expect(await post(`course=${course.id}`)).toEqual({
      status: "invalid",
      fieldErrors: {},
      formError: { key: "export.busy", values: { count: 0 } },
    });
    expect(await db.job.count({ where: { kind: "certificates-export", status: "QUEUED" } })).toBe(1);
    await runner.start();
    await expect
      .poll(async () => (await db.job.findUniqueOrThrow({ where: { id: jobId } })).status, {
        timeout: 60_000,
        interval: 100,
      })
      .toBe("DONE");
  });

  it("names files in plain ASCII", () => {
    expect(asciiSlug("Đặng Thị Ngọc Ánh")).toBe("dang-thi-ngoc-anh");
    expect(asciiSlug("../../etc/passwd")).toBe("etc-passwd");
    expect(asciiSlug("王")).toBe("x");
  });
});
