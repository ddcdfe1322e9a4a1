// A provincial coordinator cannot read another province through any coverage
// route or parameter: every loader, the export of every table, the person and
// import pages, the upload, the jobs of other people. Calls the route modules
// as Remix does, with a real session cookie. The last test lists
// app/routes/coverage*: a new coverage route fails it until it is called here.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { allRejects } from "~/coverage/imports.server";
import { closeSql } from "~/db/sql.server";
import { seedReferenceData } from "~/setup/seed.server";
import { JobRunner } from "~/jobs/runner.server";
import { db } from "~/utils/db.server";
import { createCoordinator, importNowAs, importRosterCsv, importTrainingCsv, ROSTER_HEAD } from "../helpers/coverage";

import * as dashboard from "~/routes/coverage._index";
import * as layout from "~/routes/coverage";
import * as agencies from "~/routes/coverage.agencies";
import * as exporter from "~/routes/coverage.export";
import * as followUp from "~/routes/coverage.follow-up";
import * as importPage from "~/routes/coverage.import";
import * as importResult from "~/routes/coverage.imports.$importId";
import * as provinces from "~/routes/coverage.provinces";
import * as person from "~/routes/coverage.roster.$personId";
import * as roster from "~/routes/coverage.roster._index";
import * as upload from "~/routes/coverage.upload";
import * as certificateExports from "~/routes/coverage.certificates._index";
import * as certificateExport from "~/routes/coverage.certificates.$jobId";
import * as certificateZip from "~/routes/coverage.certificates.$jobId[.zip]";
import * as reminders from "~/routes/coverage.reminders._index";
import * as reminder from "~/routes/coverage.reminders.$jobId";
import * as template from "~/routes/coverage.template.$file";
import * as admin from "~/routes/admin.target-groups";

type RouteModule = { loader?: unknown; action?: unknown };
const COVERAGE_ROUTES: Record<string, RouteModule> = {
  "coverage.tsx": layout,
  "coverage._index.tsx": dashboard,
  "coverage.agencies.tsx": agencies,
  "coverage.certificates._index.tsx": certificateExports,
  "coverage.certificates.$jobId.tsx": certificateExport,
  "coverage.certificates.$jobId[.zip].ts": certificateZip,
  "coverage.export.ts": exporter,
  "coverage.follow-up.tsx": followUp,
  "coverage.import.tsx": importPage,
  "coverage.imports.$importId.tsx": importResult,
  "coverage.provinces.tsx": provinces,
  "coverage.reminders._index.tsx": reminders,
  "coverage.reminders.$jobId.tsx": reminder,
  "coverage.roster.$personId.tsx": person,
  "coverage.roster._index.tsx": roster,
  "coverage.template.$file.ts": template,
  "coverage.upload.ts": upload,
};
const FILE_OF = new Map<unknown, string>(
  Object.entries(COVERAGE_ROUTES).flatMap(([file, module]) =>
    [module.loader, module.action].filter(Boolean).map((fn) => [fn, file] as const),
  ),
);
/** The coverage routes whose loader or action a test here has called. */
const exercised = new Set<string>();
const markCalled = (fn: unknown) => {
  const file = FILE_OF.get(fn);
  if (file) exercised.add(file);
};

// Đà Nẵng people carry names that must never show to the Hà Nội coordinator.
const SECRET = /DN-\d|Bí Mật/;

let hanoiCookie: string;
let learnerCookie: string;
const ids = { person: "", daNang: "", quangNam: "", agency: "", import: "", hanoi: "", national: "" };

async function cookieFor(userId: string) {
  const token = generateSessionToken();
  await createSession(token, userId);
  return `${SESSION_COOKIE}=${token}`;
}

function request(path: string, cookie: string, init: RequestInit = {}) {
  return new Request(`http://localhost${path}`, { ...init, headers: { Cookie: cookie, ...(init.headers ?? {}) } });
}

type Loader = (args: LoaderFunctionArgs) => unknown;

/** The loader's data as text, or its Response's status and body. */
async function call(loader: Loader, path: string, cookie: string, params: Record<string, string> = {}) {
  markCalled(loader);
  try {
    const result = await loader({ request: request(path, cookie), params, context: {} });
    if (result instanceof Response) return { status: result.status, text: await result.text() };
    return { status: 200, text: JSON.stringify(result) };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text() };
    throw thrown;
  }
}

beforeAll(async () => {
  await seedReferenceData();
  await importRosterCsv(`${ROSTER_HEAD}
HN-1,Người Hà Nội Một,,Bộ Tư pháp,Hà Nội,HR_WORK;SOCIOPOL_KEY,,,
HN-2,Người Hà Nội Hai,,Sở Tư pháp Hà Nội,TP. Hà Nội,HR_WORK,,,
DN-1,Bí Mật Một,,Bộ Tư pháp,Đà Nẵng,HR_WORK,,,
DN-2,Bí Mật Hai,,Sở Tư pháp Đà Nẵng,Quảng Nam,HR_WORK;SOCIOPOL_KEY,,,
`);
  await importTrainingCsv(
    `personnel_code,course_code,completed_on,mode\nHN-1,a,2024-01-01,in_person\nDN-1,a,2024-01-01,in_person\n`,
  );
  const hanoi = await createCoordinator("hn.scope@example.vn", { provinceCode: "cur-ha-noi" });
  const national = await createCoordinator("national.scope@example.vn");
  hanoiCookie = await cookieFor(hanoi.user.id);
  ids.hanoi = hanoi.user.id;
  ids.national = national.user.id;
  const learner = await db.user.create({ data: { email: "learner.scope@example.vn", name: "L", passwordHash: "x" } });
  learnerCookie = await cookieFor(learner.id);
  const dn1 = await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "DN-1" } });
  ids.person = dn1.id;
  ids.daNang = dn1.provinceId!;
  ids.quangNam = (await db.province.findUniqueOrThrow({ where: { code: "old-quang-nam" } })).id;
  ids.agency = (await db.agency.findUniqueOrThrow({ where: { code: "ag-so-tu-phap-da-nang" } })).id;
  ids.import = (
    await importNowAs(
      national.actor,
      national.user.id,
      "ROSTER",
      `${ROSTER_HEAD}\nDN-3,Bí Mật Ba,,Bộ Tư pháp,Đà Nẵng,HR_WORK,,,\nDN-4,Bí Mật Bốn,,Bộ Tư pháp,Atlantis,HR_WORK,,,\n`,
    )
  ).importId;
});
afterAll(closeSql);

describe("every coverage page, with any parameter", () => {
  const queries = () => [
    "",
    `?province=${ids.daNang}`,
    `?former=${ids.quangNam}`,
    `?agency=${ids.agency}`,
    `?province=${ids.daNang}&group=HR_WORK&asOf=2025-01-01`,
    `?q=DN-1`,
    `?q=B%C3%AD%20M%E1%BA%ADt&linked=no`,
    `?era=former&group=SOCIOPOL_KEY`,
  ];

  it("never shows a person or a count from Đà Nẵng", async () => {
    const loaders: [string, Loader][] = [
      ["/coverage", layout.loader],
      ["/coverage", dashboard.loader],
      ["/coverage/provinces", provinces.loader],
      ["/coverage/agencies", agencies.loader],
      ["/coverage/follow-up", followUp.loader],
      ["/coverage/roster", roster.loader],
      ["/coverage/import", importPage.loader],
      ["/coverage/certificates", certificateExports.loader],
      ["/coverage/reminders", reminders.loader],
    ];
    for (const [path, loader] of loaders) {
      for (const query of queries()) {
        const { status, text } = await call(loader, path + query, hanoiCookie);
        expect(status, `${path}${query}`).toBe(200);
        // The search box shows back what was typed; nothing else may match.
        expect(text.replace(/"q":"[^"]*"/, ""), `${path}${query}`).not.toMatch(SECRET);
      }
    }
  });

  it("counts only Hà Nội on the dashboard and the breakdowns", async () => {
    const { text } = await call(dashboard.loader, `/coverage?asOf=2025-01-01&province=${ids.daNang}`, hanoiCookie);
    const data = JSON.parse(text) as {
      summary: { group: { code: string }; headcount: number; trained: number }[];
      provinces: unknown[];
    };
    expect(data.summary.map((r) => [r.group.code, r.trained, r.headcount])).toEqual([
      ["HR_WORK", 1, 2],
      ["INFO_MGMT", 0, 0],
      ["PRESS_EXTERNAL", 0, 0],
      ["SOCIOPOL_KEY", 1, 1],
    ]);
    expect(data.provinces).toHaveLength(1);
    const former = JSON.parse(
      (await call(provinces.loader, `/coverage/provinces?era=former&group=HR_WORK`, hanoiCookie)).text,
    ) as { rows: { unit: { nameVi: string } }[] };
    expect(former.rows.map((r) => r.unit.nameVi)).toEqual(["Hà Nội"]);
  });

  it("exports no Đà Nẵng row from any table", async () => {
    for (const table of ["groups", "provinces", "agencies", "matrix", "monthly", "follow-up", "roster", "records"]) {
      for (const query of queries()) {
        for (const format of ["csv", "xlsx"]) {
          const path = `/coverage/export${query ? `${query}&` : "?"}table=${table}&format=${format}`;
          const { status, text } = await call(exporter.loader, path, hanoiCookie);
          expect(status, path).toBe(200);
          if (format === "csv") expect(text, path).not.toMatch(SECRET);
        }
      }
    }
    const roster = await call(exporter.loader, "/coverage/export?table=roster&format=csv", hanoiCookie);
    expect(roster.text).toContain("HN-2");
  });

  it("answers 404 for another province's person and another coordinator's import", async () => {
    expect(
      (await call(person.loader, `/coverage/roster/${ids.person}`, hanoiCookie, { personId: ids.person })).status,
    ).toBe(404);
    markCalled(person.action);
    const invite = await person
      .action({
        request: request(`/coverage/roster/${ids.person}`, hanoiCookie, { method: "POST" }),
        params: { personId: ids.person },
        context: {},
      } as ActionFunctionArgs)
      .catch((r: Response) => r);
    expect((invite as Response).status).toBe(404);
    const emailed = await person
      .action({
        request: request(`/coverage/roster/${ids.person}`, hanoiCookie, {
          method: "POST",
          body: new URLSearchParams({ intent: "email" }),
        }),
        params: { personId: ids.person },
        context: {},
      } as ActionFunctionArgs)
      .catch((r: Response) => r);
    expect((emailed as Response).status).toBe(404);
    expect(await db.emailMessage.count({ where: { personId: ids.person } })).toBe(0);
    expect((await db.rosterPerson.findUniqueOrThrow({ where: { id: ids.person } })).inviteToken).toBeNull();
    expect(
      (await call(importResult.loader, `/coverage/imports/${ids.import}`, hanoiCookie, { importId: ids.import }))
        .status,
    ).toBe(404);
    expect(
      (await call(exporter.loader, `/coverage/export?table=rejects&format=csv&import=${ids.import}`, hanoiCookie))
        .status,
    ).toBe(404);
  });

  it("answers 404 for another coordinator's certificate export and reminders, and shows the coordinator's own", async () => {
    const job = (kind: string, createdById: string) =>
      db.job.create({
        data: {
          id: `${kind}-${createdById}`,
          kind,
          status: "QUEUED",
          createdById,
          payload: JSON.stringify({ userId: createdById, filter: {}, language: "vi" }),
        },
      });
    for (const [kind, loaders] of [
      [
        "certificates-export",
        [
          [certificateExport.loader, "/coverage/certificates/"],
          [certificateZip.loader, "/coverage/certificates/"],
        ],
      ],
      ["reminders", [[reminder.loader, "/coverage/reminders/"]]],
    ] as [string, [Loader, string][]][]) {
      const theirs = await job(kind, ids.national);
      for (const [loader, base] of loaders) {
        const path = `${base}${theirs.id}`;
        expect((await call(loader, path, hanoiCookie, { jobId: theirs.id })).status, path).toBe(404);
      }
      const own = await job(kind, ids.hanoi);
      const [page, base] = loaders[0]!;
      expect((await call(page, `${base}${own.id}`, hanoiCookie, { jobId: own.id })).status, kind).toBe(200);
    }
  });

  it("serves the import templates with nobody in them", async () => {
    for (const file of ["roster.csv", "training.csv"]) {
      const { status, text } = await call(template.loader, `/coverage/template/${file}`, hanoiCookie, { file });
      expect([status, text.trim().split("\n")]).toEqual([200, [expect.stringMatching(/^\uFEFF?personnel_code,/)]]);
    }
  });

  it("refuses an upload of another province's people, row by row", async () => {
    const form = new FormData();
    form.set("kind", "roster");
    form.set(
      "file",
      new File(
        [`${ROSTER_HEAD}\nDN-1,Đổi Tên,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\nDN-9,Mới,,Bộ Tư pháp,Đà Nẵng,HR_WORK,,,\n`],
        "r.csv",
        { type: "text/csv" },
      ),
    );
    markCalled(upload.action);
    const response = (await upload.action({
      request: request("/coverage/upload", hanoiCookie, { method: "POST", body: form }),
      params: {},
      context: {},
    } as ActionFunctionArgs)) as Response;
    const { importId } = (await response.json()) as { importId: string };
    // The upload only queues the import; the server's job runner does it.
    const runner = new JobRunner({ pollMs: 20, kinds: ["import"] });
    await runner.start();
    await runner.drain();
    await runner.stop();
    const record = await db.dataImport.findUniqueOrThrow({ where: { id: importId } });
    expect(record.status).toBe("DONE");
    expect((await allRejects(importId)).map((r) => `${r.field}:${r.reason}`)).toEqual([
      "personnel_code:codeNotInScope",
      "province:outOfScope",
    ]);
    expect((await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "DN-1" } })).fullName).toBe("Bí Mật Một");
  });
});

describe("people without the coordinator or admin role", () => {
  it("get 403 on every coverage page and export, and admin pages are for admins only", async () => {
    for (const [path, loader] of [
      ["/coverage", dashboard.loader],
      ["/coverage/follow-up", followUp.loader],
      ["/coverage/roster", roster.loader],
      ["/coverage/export?table=groups&format=csv", exporter.loader],
    ] as [string, Loader][]) {
      expect((await call(loader, path, learnerCookie)).status, path).toBe(403);
    }
    expect((await call(admin.loader, "/admin/target-groups", hanoiCookie)).status).toBe(403);
  });

  it("are sent to the login page when signed out", async () => {
    const { status } = await call(dashboard.loader, "/coverage", "");
    expect(status).toBe(302);
  });
});

describe("the checks above", () => {
  it("call every coverage route", () => {
    const files = readdirSync(path.resolve(__dirname, "../../app/routes")).filter(
      (file) => /^coverage[.[]/.test(file) && /\.tsx?$/.test(file),
    );
    expect(Object.keys(COVERAGE_ROUTES).sort(), "a coverage route is missing from COVERAGE_ROUTES").toEqual(
      files.sort(),
    );
    expect([...exercised].sort(), "a coverage route no scope check calls").toEqual(files.sort());
  });
});
