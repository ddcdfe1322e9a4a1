// Issue 12, coordinators: an as-of date that cannot be used is said so on
// every coverage page and refused by the downloads, never read as today in
// silence; the breakdown by province lists every unit in the reader's care,
// those without a roster included, and nothing outside it.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { isoOfDay, vietnamDay } from "~/coverage/dates";
import { closeSql } from "~/db/sql.server";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { createCoordinator as coordinator, importRosterCsv, importTrainingCsv, ROSTER_HEAD } from "../helpers/coverage";

import * as dashboard from "~/routes/coverage._index";
import * as agencies from "~/routes/coverage.agencies";
import * as exporter from "~/routes/coverage.export";
import * as followUp from "~/routes/coverage.follow-up";
import * as provinces from "~/routes/coverage.provinces";
import * as reminders from "~/routes/coverage.reminders._index";

type Loader = (args: LoaderFunctionArgs) => unknown;
const cookies = { national: "", hanoi: "", hanoiEn: "", agency: "" };
const today = isoOfDay(vietnamDay(new Date()));

async function cookieFor(userId: string) {
  const token = generateSessionToken();
  await createSession(token, userId);
  return `${SESSION_COOKIE}=${token}`;
}

async function call(loader: Loader, path: string, cookie: string) {
  try {
    const result = await loader({
      request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }),
      params: {},
      context: {},
    });
    if (result instanceof Response) return { status: result.status, text: await result.text(), data: null };
    return { status: 200, text: JSON.stringify(result), data: result as Record<string, unknown> };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text(), data: null };
    throw thrown;
  }
}

beforeAll(async () => {
  await seedReferenceData();
  await importRosterCsv(`${ROSTER_HEAD}
HN-1,Người Hà Nội,,Bộ Tư pháp,Hà Nội,HR_WORK,,,
DN-1,Người Đà Nẵng,,Bộ Tư pháp,Đà Nẵng,HR_WORK,,,
QN-1,Người Quảng Nam,,Sở Tư pháp Đà Nẵng,Quảng Nam,HR_WORK,,,
`);
  await importTrainingCsv(`personnel_code,course_code,completed_on,mode\nHN-1,a,2024-01-01,in_person\n`);
  cookies.national = await cookieFor((await coordinator("national.units@example.vn")).user.id);
  cookies.hanoi = await cookieFor((await coordinator("hn.units@example.vn", { provinceCode: "cur-ha-noi" })).user.id);
  cookies.agency = await cookieFor(
    (await coordinator("moj.units@example.vn", { agencyCode: "ag-so-tu-phap-da-nang" })).user.id,
  );
});
afterAll(closeSql);

describe("the as-of date", () => {
  const pages: [string, Loader][] = [
    ["/coverage", dashboard.loader],
    ["/coverage/provinces", provinces.loader],
    ["/coverage/agencies", agencies.loader],
    ["/coverage/follow-up", followUp.loader],
    ["/coverage/reminders", reminders.loader],
  ];

  it("is used when it is a real day from the scheme's start to today", async () => {
    for (const [path, loader] of pages) {
      for (const asOf of ["2023-01-01", "2024-06-30", today]) {
        const { status, data } = await call(loader, `${path}?group=HR_WORK&asOf=${asOf}`, cookies.national);
        expect(status, path).toBe(200);
        expect(data, `${path} ${asOf}`).toMatchObject({ asOf, asOfProblem: null });
      }
    }
  });

  it("absent or empty means today, without a complaint", async () => {
    for (const [path, loader] of pages) {
      for (const query of ["?group=HR_WORK", "?group=HR_WORK&asOf="]) {
        expect((await call(loader, path + query, cookies.national)).data, path + query).toMatchObject({
          asOf: today,
          asOfProblem: null,
        });
      }
    }
  });

  it("impossible, unreadable, future or before 2023-01-01: the page says which, and shows today's figures", async () => {
    const cases: [string, string][] = [
      ["2024-02-30", "unreadable"],
      ["%", "unreadable"],
      ["30/06/2024", "unreadable"],
      ["x".repeat(5000), "unreadable"],
      ["2999-01-01", "future"],
      ["2022-12-31", "beforeStart"],
    ];
    for (const [path, loader] of pages) {
      for (const [asOf, problem] of cases) {
        const { status, data } = await call(
          loader,
          `${path}?group=HR_WORK&asOf=${encodeURIComponent(asOf)}`,
          cookies.national,
        );
        expect(status, `${path} ${asOf}`).toBe(200);
        expect(data, `${path} ${asOf}`).toMatchObject({ asOf: today, asOfProblem: problem });
        if (path !== "/coverage/reminders") expect((data as { asOfInput: string }).asOfInput).toBe(asOf.slice(0, 100));
      }
    }
    // Today's figures, the same as asking for today.
    const refused = (await call(dashboard.loader, "/coverage?asOf=2024-02-30", cookies.national)).data!;
    const asked = (await call(dashboard.loader, `/coverage?asOf=${today}`, cookies.national)).data!;
    expect(refused.summary).toEqual(asked.summary);
  });

  it("is refused by the downloads with a 400 that says why, in the reader's language", async () => {
    const vi = await call(
      exporter.loader,
      "/coverage/export?table=provinces&format=csv&group=HR_WORK&asOf=2024-02-30",
      cookies.national,
    );
    expect(vi.status).toBe(400);
    expect(vi.text).toContain("Không tải được bảng");
    expect(vi.text).toContain("“2024-02-30” không phải là một ngày có thật");
    expect(vi.text).toContain('<a href="/">');
    const en = await call(
      exporter.loader,
      "/coverage/export?table=groups&format=xlsx&asOf=2022-06-01&lng=en",
      cookies.national,
    );
    expect(en.status).toBe(400);
    expect(en.text).toContain("The scheme started on 1 Jan 2023");
    const future = await call(
      exporter.loader,
      "/coverage/export?table=matrix&format=csv&asOf=2999-01-01",
      cookies.national,
    );
    expect(future.status).toBe(400);
    // A list as it stands today has no as-of date to refuse.
    expect(
      (await call(exporter.loader, "/coverage/export?table=roster&format=csv&asOf=2024-02-30", cookies.national))
        .status,
    ).toBe(200);
    expect(
      (await call(exporter.loader, "/coverage/export?table=groups&format=csv&asOf=2024-06-30", cookies.national))
        .status,
    ).toBe(200);
  });
});

describe("the breakdown by province", () => {
  type Line = { unit: { nameVi: string } | null; figures: { headcount: number; trained: number } | null };
  const lines = async (query: string, cookie: string) =>
    (
      (await call(provinces.loader, `/coverage/provinces?group=HR_WORK&asOf=2025-12-31${query}`, cookie)).data as {
        rows: Line[];
      }
    ).rows;

  it("lists all 34 current units nationally, those without a roster marked as such", async () => {
    const rows = await lines("", cookies.national);
    expect(rows).toHaveLength(34);
    const named = Object.fromEntries(
      rows.map((r) => [r.unit!.nameVi, r.figures ? `${r.figures.trained}/${r.figures.headcount}` : null]),
    );
    expect(named["Hà Nội"]).toBe("1/1");
    expect(named["Đà Nẵng"]).toBe("0/2");
    expect(named["Cà Mau"]).toBeNull();
    expect(rows.filter((r) => r.figures)).toHaveLength(2);
    // In Vietnamese alphabetical order, the same on SQLite and PostgreSQL.
    const names = rows.map((r) => r.unit!.nameVi);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "vi")));
  });

  it("lists all 63 former units when asked for the list before 1 July 2025", async () => {
    const rows = await lines("&era=former", cookies.national);
    expect(rows).toHaveLength(63);
    const named = Object.fromEntries(rows.map((r) => [r.unit!.nameVi, r.figures?.headcount ?? null]));
    expect(named).toMatchObject({ "Hà Nội": 1, "Đà Nẵng": 1, "Quảng Nam": 1, "Hà Giang": null });
  });

  it("lists only a provincial coordinator's own units", async () => {
    expect((await lines("", cookies.hanoi)).map((r) => r.unit?.nameVi)).toEqual(["Hà Nội"]);
    expect((await lines("&era=former", cookies.hanoi)).map((r) => r.unit?.nameVi)).toEqual(["Hà Nội"]);
    const daNang = await coordinator("dn.units@example.vn", { provinceCode: "cur-da-nang" });
    const dnCookie = await cookieFor(daNang.user.id);
    expect((await lines("&era=former", dnCookie)).map((r) => [r.unit?.nameVi, r.figures?.headcount ?? null])).toEqual([
      ["Đà Nẵng", 1],
      ["Quảng Nam", 1],
    ]);
    const text = JSON.stringify(await lines("", cookies.hanoi));
    expect(text).not.toMatch(/Đà Nẵng|Quảng Nam|Cà Mau/);
  });

  it("gives an agency's coordinator the units where the agency has people, not 34 empty ones", async () => {
    expect((await lines("", cookies.agency)).map((r) => [r.unit?.nameVi, r.figures?.headcount])).toEqual([
      ["Đà Nẵng", 1],
    ]);
  });
});

describe("the downloads by province and the matrix", () => {
  const csv = async (query: string, cookie: string) => {
    const answer = await call(exporter.loader, `/coverage/export?format=csv&asOf=2025-12-31${query}`, cookie);
    expect(answer.status).toBe(200);
    return parse(answer.text.replace(/^\uFEFF/, ""), { columns: false }) as string[][];
  };

  it("list every unit the page lists, those without a roster said so", async () => {
    const [head = [], ...rows] = await csv("&table=provinces&group=HR_WORK", cookies.national);
    expect(head).toContain("Tình trạng");
    expect(rows).toHaveLength(34);
    const byUnit = new Map(rows.map((r) => [r[1], r]));
    expect(byUnit.get("Hà Nội")!.slice(2, 4)).toEqual(["1", "1"]);
    expect(byUnit.get("Cà Mau")!.at(-1)).toBe("Chưa có danh sách nhân sự");
    expect(byUnit.get("Cà Mau")!.slice(2, 4)).toEqual(["", ""]);
    // Every group when none is chosen: 34 lines for each.
    const groups = await db.targetGroup.count();
    expect(await csv("&table=provinces", cookies.national)).toHaveLength(1 + 34 * groups);
    expect(await csv("&table=provinces&group=HR_WORK&era=former", cookies.national)).toHaveLength(1 + 63);
    // A provincial coordinator's file holds their unit only.
    expect((await csv("&table=provinces&group=HR_WORK", cookies.hanoi)).slice(1).map((r) => r[1])).toEqual(["Hà Nội"]);
  });

  it("give the matrix a row per unit and columns named after the groups", async () => {
    const [head = [], ...rows] = await csv("&table=matrix", cookies.national);
    expect(rows).toHaveLength(34);
    const group = await db.targetGroup.findUniqueOrThrow({ where: { code: "HR_WORK" } });
    expect(head).toContain(`${group.nameVi} (HR_WORK) — Đã đào tạo`);
    expect(head.some((h) => h.startsWith("HR_WORK"))).toBe(false);
    const caMau = rows.find((r) => r[0] === "Cà Mau")!;
    expect(caMau.slice(1).every((cell) => cell === "")).toBe(true);
    // An agency's coordinator: the provinces where its people are, as on the page.
    expect((await csv("&table=matrix", cookies.agency)).slice(1).map((r) => r[0])).toEqual(["Đà Nẵng"]);
  });
});
