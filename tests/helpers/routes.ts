// Every route file, the eight kinds of person who may call it, and a call of
// its loader or action as one of them: shared by the tests generated from the
// route files (authorization-matrix, bad-bodies).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { createCoordinator, importRosterCsv, ROSTER_HEAD } from "./coverage";
import { createPublishedCourse, createLearner, createEnrolment } from "./fixtures";
import { answerOf } from "./answer";

export type RouteModule = {
  loader?: (args: LoaderFunctionArgs) => unknown;
  action?: (args: ActionFunctionArgs) => unknown;
};
/** Route modules by path ("../../app/routes/login.tsx"). */
export const routes = import.meta.glob<RouteModule>("../../app/routes/*.{ts,tsx}", { eager: true });
/** A route module's file name ("login.tsx"). */
export const routeName = (file: string) => file.split("/").pop()!;

export const ROLES = ["anonymous", "learner", "trainer", "owner", "province", "agency", "national", "admin"] as const;
export type Role = (typeof ROLES)[number];
export type Outcome = "ok" | "input" | "login" | "no" | "down" | "error";

export type RoutePeople = { cookies: Record<Role, () => Promise<string>>; params: Record<string, string> };

async function cookieFor(userId: string) {
  const token = generateSessionToken();
  await createSession(token, userId);
  return `${SESSION_COOKIE}=${token}`;
}

export function classify(status: number, location: string | null): Outcome {
  if (status === 401 || (location !== null && location.startsWith("/login"))) return "login";
  if (status === 403 || status === 404) return "no";
  if (status < 400) return "ok";
  if ([400, 405, 409, 413, 415, 422].includes(status)) return "input";
  if (status === 503) return "down";
  return "error";
}

export async function settle(run: () => unknown): Promise<Outcome> {
  try {
    const result = await run();
    if (result instanceof Response) return classify(result.status, result.headers.get("Location"));
    // Remix's data(value, { status }): the status the browser gets.
    return classify((await answerOf(result)).status, null);
  } catch (thrown) {
    if (thrown instanceof Response) return classify(thrown.status, thrown.headers.get("Location"));
    return "error";
  }
}

export function routeParams(name: string, params: Record<string, string>): Record<string, string> {
  const names = [...name.matchAll(/\$(\w*)/g)].map((m) => m[1]!);
  return Object.fromEntries(names.map((key) => (key === "" ? ["*", "nowhere"] : [key, params[key] ?? "unknown"])));
}

export function pathOf(name: string, values: Record<string, string>) {
  const segments = name
    .replace(/\.(tsx?)$/, "")
    .split(".")
    .filter((s) => s !== "_index");
  return (
    "/" +
    segments
      .map((s) => (s === "$" ? values["*"] : s.startsWith("$") ? values[s.slice(1)] : s.replace(/^_/, "")))
      .join("/")
  );
}

/** The action's arguments for a POST of `init` to the route, as `role`. */
export async function actionArgs(
  people: RoutePeople,
  file: string,
  role: Role,
  init: RequestInit = { body: new URLSearchParams() },
): Promise<ActionFunctionArgs> {
  const name = routeName(file);
  const values = routeParams(name, people.params);
  const cookie = await people.cookies[role]();
  const headers = {
    Cookie: cookie,
    Origin: "http://localhost",
    ...(init.headers as Record<string, string> | undefined),
  };
  const request = new Request(`http://localhost${pathOf(name, values)}`, { method: "POST", ...init, headers });
  return { request, params: values, context: {} };
}

/**
 * One person of each kind and the things they act on: a course with an owner
 * and an enrolled learner, coordinators of a province, an agency and the
 * nation, and a roster person in Đà Nẵng, outside the first two's scope.
 */
export async function createRoutePeople(): Promise<RoutePeople> {
  await seedReferenceData();
  const course = await createPublishedCourse({ quizOn: [0] });
  const learner = await createLearner();
  await createEnrolment(learner.id, course.id);
  const certificate = await db.courseCompletion.create({
    data: { userId: learner.id, courseId: course.id, certificateCode: "MATR-IXCE-RTIF-ICAT" },
  });
  const trainer = await db.user.create({
    data: { email: "trainer.matrix@example.vn", name: "T", passwordHash: "x", role: "TRAINER" },
  });
  const owner = await db.user.create({
    data: { email: "owner.matrix@example.vn", name: "O", passwordHash: "x", role: "TRAINER" },
  });
  await db.courseOwner.create({ data: { courseId: course.id, userId: owner.id } });
  const admin = await db.user.create({
    data: { email: "admin.matrix@example.vn", name: "A", passwordHash: "x", role: "ADMIN" },
  });
  const province = await createCoordinator("province.matrix@example.vn", { provinceCode: "cur-ha-noi" });
  const agency = await createCoordinator("agency.matrix@example.vn", { agencyCode: "MOJ" });
  const national = await createCoordinator("national.matrix@example.vn");
  await importRosterCsv(`${ROSTER_HEAD}\nM-1,Người Đà Nẵng,m1@example.vn,Bộ Công an,Đà Nẵng,HR_WORK,,,\n`);
  const person = await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "M-1" }, select: { id: true } });
  const anImport = await db.dataImport.findFirstOrThrow({ select: { id: true } });
  const ids = {
    learner: learner.id,
    trainer: trainer.id,
    owner: owner.id,
    province: province.user.id,
    agency: agency.user.id,
    national: national.user.id,
    admin: admin.id,
  };
  const cookies = {
    anonymous: async () => "",
    ...Object.fromEntries(Object.entries(ids).map(([role, id]) => [role, () => cookieFor(id)])),
  } as RoutePeople["cookies"];
  const params = {
    courseId: course.id,
    courseCode: course.code,
    lessonId: course.lessons[0]!.id,
    lessonSlug: course.lessons[0]!.slug,
    // Someone in Đà Nẵng: outside the Hà Nội coordinator's province and the agency coordinator's agency.
    personId: person.id,
    importId: anImport.id,
    userId: learner.id,
    file: "roster.csv",
    code: certificate.certificateCode,
    list: "0",
  };
  return { cookies, params };
}
