// Every route file × every kind of person × every method it answers, against
// one table of what each may do. The table is the specification: a new route
// fails this test until someone decides, here, who may use it.
//
// Outcomes:  ok      answered (2xx, or a redirect that is not to /login)
//            input   got past the gate, refused the (empty) input: 400/405/409/413/415/422
//            login   sent to /login (or 401)
//            no      403 or 404 (someone else's, or out of scope: indistinguishable by design)
//            down    503 (the health check, with no job runner beating in a test)
//            error   anything else, a thrown error included: always a bug
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { createCourse, createLearner, enrolIn } from "../helpers/fixtures";
import { coordinator, importRosterCsv, ROSTER_HEAD } from "../helpers/coverage";

type RouteModule = { loader?: (args: LoaderFunctionArgs) => unknown; action?: (args: ActionFunctionArgs) => unknown };
const routes = import.meta.glob<RouteModule>("../../app/routes/*.{ts,tsx}", { eager: true });

const ROLES = ["anonymous", "learner", "trainer", "owner", "province", "agency", "national", "admin"] as const;
type Role = (typeof ROLES)[number];
type Outcome = "ok" | "input" | "login" | "no" | "down" | "error";
/** One letter per role, in ROLES order: o(k) i(nput) l(ogin) n(o) d(own) x (error). */
type Row = string;

// prettier-ignore
const EXPECTED: Record<string, { GET?: Row; POST?: Row }> = {
  //                                              anon  learner trainer owner province agency national admin
  "$.tsx": { GET: "nnnnnnnn" },
  "_index.tsx": { GET: "oooooooo" },
  "account.tsx": { GET: "looooooo", POST: "liiiiiii" },
  "admin.outbox.tsx": { GET: "lnnnnnno", POST: "lnnnnnni" },
  "admin.target-groups.tsx": { GET: "lnnnnnno", POST: "lnnnnnni" },
  "admin.users.$userId.tsx": { GET: "lnnnnnno", POST: "lnnnnnni" },
  "admin.users._index.tsx": { GET: "lnnnnnno", POST: "lnnnnnno" },
  "api.mux.webhook.ts": { GET: "iiiiiiii", POST: "nnnnnnnn" },
  "api.progress.ts": { GET: "iiiiiiii", POST: "iiiiiiii" },
  "api.uploads.$uploadId.ts": { GET: "lnnnnnnn", POST: "lnnnnnnn" },
  "api.uploads.ts": { GET: "iiiiiiii", POST: "liiiiiii" },
  "api.views.ts": { GET: "iiiiiiii", POST: "liiiiiii" },
  "audit._index.tsx": { GET: "lnnnoooo" },
  "audit.export.ts": { GET: "lnnnoooo" },
  "certificates.$code.tsx": { GET: "nnnnnnnn" },
  "certificates.$code[.pdf].ts": { GET: "nnnnnnnn" },
  "courses.$courseCode.$lessonSlug.tsx": { GET: "looooooo", POST: "looooooo" },
  "courses.$courseCode._index.tsx": { GET: "oooooooo", POST: "looooooo" },
  "coverage._index.tsx": { GET: "lnnnoooo" },
  "coverage.agencies.tsx": { GET: "lnnnoooo" },
  "coverage.certificates.$jobId.tsx": { GET: "lnnnnnnn" },
  "coverage.certificates.$jobId[.zip].ts": { GET: "lnnnnnnn" },
  "coverage.certificates._index.tsx": { GET: "lnnnoooo", POST: "lnnnoooo" },
  "coverage.export.ts": { GET: "lnnniiii" },
  "coverage.follow-up.tsx": { GET: "lnnnoooo" },
  "coverage.import.tsx": { GET: "lnnnoooo", POST: "lnnnoooo" },
  "coverage.imports.$importId.tsx": { GET: "lnnnnnoo" },
  "coverage.provinces.tsx": { GET: "lnnnoooo" },
  "coverage.reminders.$jobId.tsx": { GET: "lnnnnnnn" },
  "coverage.reminders._index.tsx": { GET: "lnnnoooo", POST: "lnnnoooo" },
  "coverage.roster.$personId.tsx": { GET: "lnnnnnoo", POST: "lnnnnnoo" },
  "coverage.roster._index.tsx": { GET: "lnnnoooo" },
  "coverage.template.$file.ts": { GET: "lnnnoooo" },
  "coverage.tsx": { GET: "lnnnoooo" },
  "coverage.upload.ts": { GET: "iiiiiiii", POST: "lnnniiii" },
  "forgot-password.tsx": { POST: "oooooooo" },
  "healthz.ts": { GET: "dddddddd" },
  "invite.$token.tsx": { GET: "oooooooo", POST: "looooooo" },
  "language.tsx": { GET: "oooooooo", POST: "iiiiiiii" },
  "lessons.$lessonId.captions.$file.ts": { GET: "nnnnnnnn" },
  "login.tsx": { GET: "oooooooo", POST: "oooooooo" },
  "logout.tsx": { GET: "oooooooo", POST: "oooooooo" },
  "media.$assetId.ts": { GET: "nnnnnnnn" },
  "my-learning.tsx": { GET: "looooooo", POST: "liiiiiii" },
  "reset-password.$token.tsx": { GET: "oooooooo", POST: "oooooooo" },
  "set-password.$token.tsx": { GET: "oooooooo", POST: "oooooooo" },
  "signup.tsx": { GET: "oooooooo", POST: "oooooooo" },
  "teach._index.tsx": { GET: "lnoonnno" },
  "teach.courses.$courseId._index.tsx": { GET: "lnnonnno", POST: "lnnonnno" },
  "teach.courses.$courseId.lessons.$lessonId.tsx": { GET: "lnnonnno", POST: "lnnonnno" },
  "teach.courses.$courseId.preview.$lessonId.tsx": { GET: "lnnonnno", POST: "lnnonnno" },
  "teach.courses.$courseId.preview._index.tsx": { GET: "lnnonnno" },
  "teach.courses.new.tsx": { GET: "lnoonnno", POST: "lnoonnno" },
  "unsubscribe.$token.tsx": { GET: "oooooooo", POST: "oooooooo" },
  "verify-email.$token.tsx": { GET: "oooooooo" },
};

const letter: Record<Outcome, string> = { ok: "o", input: "i", login: "l", no: "n", down: "d", error: "x" };

let cookies: Record<Role, () => Promise<string>>;
let params: Record<string, string>;

async function cookieFor(userId: string) {
  const token = generateSessionToken();
  await createSession(token, userId);
  return `${SESSION_COOKIE}=${token}`;
}

function classify(status: number, location: string | null): Outcome {
  if (status === 401 || (location !== null && location.startsWith("/login"))) return "login";
  if (status === 403 || status === 404) return "no";
  if (status < 400) return "ok";
  if ([400, 405, 409, 413, 415, 422].includes(status)) return "input";
  if (status === 503) return "down";
  return "error";
}

async function settle(run: () => unknown): Promise<Outcome> {
  try {
    const result = await run();
    if (result instanceof Response) return classify(result.status, result.headers.get("Location"));
    return "ok";
  } catch (thrown) {
    if (thrown instanceof Response) return classify(thrown.status, thrown.headers.get("Location"));
    return "error";
  }
}

function routeParams(file: string): Record<string, string> {
  const names = [...file.matchAll(/\$(\w*)/g)].map((m) => m[1]!);
  return Object.fromEntries(names.map((name) => (name === "" ? ["*", "nowhere"] : [name, params[name] ?? "unknown"])));
}

function pathOf(file: string, values: Record<string, string>) {
  const segments = file.replace(/\.(tsx?)$/, "").split(".").filter((s) => s !== "_index");
  return "/" + segments.map((s) => (s === "$" ? values["*"] : s.startsWith("$") ? values[s.slice(1)] : s.replace(/^_/, ""))).join("/");
}

async function call(file: string, method: "GET" | "POST", role: Role): Promise<Outcome> {
  const module = routes[file]!;
  const name = file.split("/").pop()!;
  const values = routeParams(name);
  const cookie = await cookies[role]();
  const url = `http://localhost${pathOf(name, values)}`;
  const headers = { Cookie: cookie, Origin: "http://localhost" };
  if (method === "GET") {
    return settle(() => module.loader!({ request: new Request(url, { headers }), params: values, context: {} }));
  }
  return settle(() => module.action!({ request: new Request(url, { method: "POST", headers, body: new URLSearchParams() }), params: values, context: {} }));
}

beforeAll(async () => {
  await seedReferenceData();
  const course = await createCourse({ quizOn: [0] });
  const learner = await createLearner();
  await enrolIn(learner.id, course.id);
  const trainer = await db.user.create({ data: { email: "trainer.matrix@example.vn", name: "T", passwordHash: "x", role: "TRAINER" } });
  const owner = await db.user.create({ data: { email: "owner.matrix@example.vn", name: "O", passwordHash: "x", role: "TRAINER" } });
  await db.courseOwner.create({ data: { courseId: course.id, userId: owner.id } });
  const admin = await db.user.create({ data: { email: "admin.matrix@example.vn", name: "A", passwordHash: "x", role: "ADMIN" } });
  const province = await coordinator("province.matrix@example.vn", { provinceCode: "cur-ha-noi" });
  const agency = await coordinator("agency.matrix@example.vn", { agencyCode: "MOJ" });
  const national = await coordinator("national.matrix@example.vn");
  await importRosterCsv(`${ROSTER_HEAD}\nM-1,Người Đà Nẵng,m1@example.vn,Bộ Công an,Đà Nẵng,HR_WORK,,,\n`);
  const person = await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "M-1" }, select: { id: true } });
  const anImport = await db.dataImport.findFirstOrThrow({ select: { id: true } });
  const ids = { learner: learner.id, trainer: trainer.id, owner: owner.id, province: province.user.id, agency: agency.user.id, national: national.user.id, admin: admin.id };
  cookies = {
    anonymous: async () => "",
    ...Object.fromEntries(Object.entries(ids).map(([role, id]) => [role, () => cookieFor(id)])),
  } as typeof cookies;
  params = {
    courseId: course.id,
    courseCode: course.code,
    lessonId: course.lessons[0]!.id,
    lessonSlug: course.lessons[0]!.slug,
    // Someone in Đà Nẵng: outside the Hà Nội coordinator's province and the agency coordinator's agency.
    personId: person.id,
    importId: anImport.id,
    userId: learner.id,
    file: "roster.csv",
  };
});

describe("authorization matrix", () => {
  it("covers every route file", () => {
    const files = Object.keys(routes).map((f) => f.split("/").pop()!);
    const missing = files.filter((f) => !(f in EXPECTED));
    expect(missing, "routes without a row in EXPECTED").toEqual([]);
    expect(Object.keys(EXPECTED).filter((f) => !files.includes(f)), "rows for routes that no longer exist").toEqual([]);
  });

  it("gives every role exactly what the table says", async () => {
    const observed: Record<string, { GET?: Row; POST?: Row }> = {};
    for (const file of Object.keys(routes).sort()) {
      const name = file.split("/").pop()!;
      const module = routes[file]!;
      for (const method of ["GET", "POST"] as const) {
        if (method === "GET" ? !module.loader : !module.action) continue;
        let row = "";
        for (const role of ROLES) row += letter[await call(file, method, role)];
        (observed[name] ??= {})[method] = row;
      }
    }
    if (process.env.PRINT_MATRIX) console.log(JSON.stringify(observed, null, 1));
    expect(observed).toEqual(EXPECTED);
  }, 120_000);
});
