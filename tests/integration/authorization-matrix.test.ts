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
import { beforeAll, describe, expect, it } from "vitest";
import {
  actionArgs,
  createRoutePeople,
  pathOf,
  routeParams,
  routes,
  ROLES,
  settle,
  type Outcome,
  type RoutePeople,
  type Role,
} from "../helpers/routes";

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
  "[.well-known].did[.json].ts": { GET: "oooooooo" },
  "[.well-known].jwks[.json].ts": { GET: "oooooooo" },
  "certificates.$code.tsx": { GET: "oooooooo", POST: "lnnnnnni" },
  "certificates.$code[.json].ts": { GET: "oooooooo" },
  "certificates.status.$list.ts": { GET: "oooooooo" },
  "certificates.$code[.pdf].ts": { GET: "oooooooo" },
  "courses.$courseCode.$lessonSlug.tsx": { GET: "looooooo", POST: "looooooo" },
  "courses.$courseCode._index.tsx": { GET: "oooooooo", POST: "looooooo" },
  "coverage._index.tsx": { GET: "lnnnoooo" },
  "coverage.agencies.tsx": { GET: "lnnnoooo" },
  "coverage.certificates.$jobId.tsx": { GET: "lnnnnnnn" },
  "coverage.certificates.$jobId[.zip].ts": { GET: "lnnnnnnn" },
  "coverage.certificates._index.tsx": { GET: "lnnnoooo", POST: "lnnnoooo" },
  "coverage.export.ts": { GET: "lnnniiii" },
  "coverage.follow-up.tsx": { GET: "lnnnoooo" },
  "coverage.import.tsx": { GET: "lnnnoooo", POST: "lnnniiii" },
  "coverage.imports.$importId.tsx": { GET: "lnnnnnoo" },
  "coverage.provinces.tsx": { GET: "lnnnoooo" },
  "coverage.reminders.$jobId.tsx": { GET: "lnnnnnnn" },
  "coverage.reminders._index.tsx": { GET: "lnnnoooo", POST: "lnnnoooo" },
  "coverage.roster.$personId.tsx": { GET: "lnnnnnoo", POST: "lnnnnnoo" },
  "coverage.roster._index.tsx": { GET: "lnnnoooo" },
  "coverage.template.$file.ts": { GET: "lnnnoooo" },
  "coverage.tsx": { GET: "lnnnoooo" },
  "coverage.upload.ts": { GET: "iiiiiiii", POST: "lnnniiii" },
  "did[.json].ts": { GET: "oooooooo" },
  "forgot-password.tsx": { GET: "oooooooo", POST: "oooooooo" },
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
  "teach.tsx": { GET: "lnoonnno" },
  "teach.courses.$courseId._index.tsx": { GET: "lnnonnno", POST: "lnnonnno" },
  "teach.courses.$courseId.analytics.tsx": { GET: "lnnonnno" },
  "teach.courses.$courseId.lessons.$lessonId.tsx": { GET: "lnnonnno", POST: "lnnonnno" },
  "teach.courses.$courseId.preview.$lessonId.tsx": { GET: "lnnonnno", POST: "lnnonnno" },
  "teach.courses.$courseId.preview._index.tsx": { GET: "lnnonnno" },
  "teach.courses.new.tsx": { GET: "lnoonnno", POST: "lnoonnno" },
  "unsubscribe.$token.tsx": { GET: "oooooooo", POST: "oooooooo" },
  "verify-email.$token.tsx": { GET: "oooooooo" },
};

const letter: Record<Outcome, string> = { ok: "o", input: "i", login: "l", no: "n", down: "d", error: "x" };

let people: RoutePeople;

async function call(file: string, method: "GET" | "POST", role: Role): Promise<Outcome> {
  const module = routes[file]!;
  if (method === "POST") return settle(async () => module.action!(await actionArgs(people, file, role)));
  const name = file.split("/").pop()!;
  const values = routeParams(name, people.params);
  const headers = { Cookie: await people.cookies[role](), Origin: "http://localhost" };
  return settle(() =>
    module.loader!({
      request: new Request(`http://localhost${pathOf(name, values)}`, { headers }),
      params: values,
      context: {},
    }),
  );
}

beforeAll(async () => {
  people = await createRoutePeople();
});

describe("authorization matrix", () => {
  it("covers every route file", () => {
    const files = Object.keys(routes).map((f) => f.split("/").pop()!);
    const missing = files.filter((f) => !(f in EXPECTED));
    expect(missing, "routes without a row in EXPECTED").toEqual([]);
    expect(
      Object.keys(EXPECTED).filter((f) => !files.includes(f)),
      "rows for routes that no longer exist",
    ).toEqual([]);
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
