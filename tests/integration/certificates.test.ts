// Certificates anyone can verify: the public page, the Open Badges 3.0
// credential checked by an independent verifier (did-jwt-vc, resolving our
// did:web through the document our route serves), the revocation list, and
// revocation by an admin through the page's action as Remix calls it.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { verifyJWT } from "did-jwt";
import { verifyCredential } from "did-jwt-vc";
import { Resolver, type DIDResolutionResult } from "did-resolver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { rotateIssuerKeys } from "~/certificates/issuer-keys.server";
import { closeSql, getSql } from "~/db/sql.server";
import { backfillOnlineTraining, completionsWithoutRecord } from "~/coverage/training.server";
import { recordCourseCompletion } from "~/learning/course-completion.server";
import * as page from "~/routes/certificates.$code";
import * as credentialRoute from "~/routes/certificates.$code[.json]";
import * as statusRoute from "~/routes/certificates.status.$list";
import * as didRoute from "~/routes/[.well-known].did[.json]";
import * as jwksRoute from "~/routes/[.well-known].jwks[.json]";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { createPublishedCourse, createLearner } from "../helpers/fixtures";
import { importRosterCsv, ROSTER_HEAD } from "../helpers/coverage";

// did:web, done by the book: the DID names a URL; the document comes from our route's answer there, not from our signing code.
let didFetches = 0;
const didResolver = new Resolver({
  web: async (did): Promise<DIDResolutionResult> => {
    const [host, ...path] = did.slice("did:web:".length).split(":").map(decodeURIComponent);
    const url = `https://${host}/${path.length ? `${path.join("/")}/did.json` : ".well-known/did.json"}`;
    expect(new URL(url).pathname).toBe("/.well-known/did.json");
    const response = (await didRoute.loader()) as Response;
    didFetches++;
    return {
      didDocument: await response.json(),
      didDocumentMetadata: {},
      didResolutionMetadata: { contentType: "application/did+json" },
    };
  },
});
// did-jwt bundles an older did-resolver whose types differ only in @context's; the resolver is the same shape.
const resolver = didResolver as unknown as Parameters<typeof verifyCredential>[1];
// Open Badges 3.0 is on the VC 2.0 data model; did-jwt-vc's format check knows only VC 1.1's context, the signature check is the point.
const verify = (jwt: string) => verifyCredential(jwt, resolver, { policies: { format: false } });

const admin = { id: "", cookie: "" };
const learner = { id: "", email: "", cookie: "" };
let coordinatorCookie = "";
let trainerCookie = "";
const codes: string[] = [];

async function cookieFor(userId: string) {
  const token = generateSessionToken();
  await createSession(token, userId);
  return `${SESSION_COOKIE}=${token}`;
}

async function settle<T>(run: () => Promise<T>): Promise<T | Response> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function revoke(code: string, fields: Record<string, string>, cookie = admin.cookie) {
  const request = new Request(`http://localhost/certificates/${code}`, {
    method: "POST",
    headers: { Cookie: cookie },
    body: new URLSearchParams(fields),
  });
  return settle(() => page.action({ request, params: { code }, context: {} } as ActionFunctionArgs));
}

async function loadPage(code: string, cookie = "") {
  const request = new Request(`http://localhost/certificates/${code}`, { headers: { Cookie: cookie } });
  return (await page.loader({ request, params: { code }, context: {} } as LoaderFunctionArgs)) as Awaited<
    ReturnType<typeof page.loader>
  >;
}

async function credentialJson(code: string) {
  const request = new Request(`http://localhost/certificates/${code}.json`);
  const response = (await credentialRoute.loader({
    request,
    params: { code },
    context: {},
  } as LoaderFunctionArgs)) as Response;
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
  return {
    text: await response.clone().text(),
    body: (await response.json()) as {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the credential is open JSON whose shape the tests assert
      credential: Record<string, any>;
      jwt: string;
      revocation: { revokedAt: string; reason: string } | null;
    },
  };
}

async function credentialJwt(code: string) {
  const request = new Request(`http://localhost/certificates/${code}.json`, {
    headers: { Accept: "application/vc+jwt" },
  });
  const response = (await credentialRoute.loader({
    request,
    params: { code },
    context: {},
  } as LoaderFunctionArgs)) as Response;
  expect(response.headers.get("Content-Type")).toBe("application/vc+jwt");
  return response.text();
}

/** Whether the status list says revoked: fetched, its signature checked by did-jwt, the bitstring un-gzipped here. */
async function statusBit(credentialStatus: {
  statusListCredential: string;
  statusListIndex: string;
  statusPurpose: string;
}): Promise<boolean> {
  expect(credentialStatus.statusPurpose).toBe("revocation");
  const list = new URL(credentialStatus.statusListCredential).pathname.split("/").pop()!;
  const request = new Request(credentialStatus.statusListCredential, { headers: { Accept: "application/vc+jwt" } });
  const jwt = await (
    (await statusRoute.loader({ request, params: { list }, context: {} } as LoaderFunctionArgs)) as Response
  ).text();
  const { payload } = await verifyJWT(jwt, { resolver });
  expect(payload.type).toEqual(["VerifiableCredential", "BitstringStatusListCredential"]);
  expect(payload.credentialSubject.statusPurpose).toBe("revocation");
  const encoded: string = payload.credentialSubject.encodedList;
  expect(encoded[0]).toBe("u");
  const bits = gunzipSync(Buffer.from(encoded.slice(1), "base64url"));
  expect(bits.length * 8).toBeGreaterThanOrEqual(131_072);
  const index = Number(credentialStatus.statusListIndex);
  return ((bits[index >> 3]! >> (7 - (index & 7))) & 1) === 1;
}

beforeAll(async () => {
  await seedReferenceData();
  const course = await createPublishedCourse({ quizOn: [0, 1] });
  const l = await createLearner("Hoc.Vien@Example.vn");
  learner.id = l.id;
  learner.email = l.email;
  await importRosterCsv(`${ROSTER_HEAD}\nCC-1,Học viên thử,hoc.vien@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`);
  await db.rosterPerson.update({ where: { personnelCode: "CC-1" }, data: { userId: learner.id } });
  const others = await Promise.all([createLearner(), createLearner()]);
  for (const user of [l, ...others]) {
    await recordCourseCompletion(user.id, course.id, new Date("2026-03-02T03:00:00Z"));
    codes.push((await db.courseCompletion.findFirstOrThrow({ where: { userId: user.id } })).certificateCode);
  }
  const a = await db.user.create({
    data: { email: "admin.cert@example.vn", name: "Quản trị", passwordHash: "x", role: "ADMIN" },
  });
  admin.id = a.id;
  admin.cookie = await cookieFor(a.id);
  learner.cookie = await cookieFor(learner.id);
  const c = await db.user.create({
    data: { email: "national.cert@example.vn", name: "Điều phối", passwordHash: "x", role: "COORDINATOR" },
  });
  coordinatorCookie = await cookieFor(c.id);
  const t = await db.user.create({
    data: { email: "trainer.cert@example.vn", name: "Giảng viên", passwordHash: "x", role: "TRAINER" },
  });
  trainerCookie = await cookieFor(t.id);
});
afterAll(closeSql);

describe("the Open Badges 3.0 credential", () => {
  it("verifies with an independent library against the published did:web document", async () => {
    const { body } = await credentialJson(codes[0]!);
    const verified = await verify(body.jwt);
    expect(verified.verified).toBe(true);
    expect(didFetches).toBeGreaterThan(0);
    expect(verified.issuer).toBe("did:web:localhost%3A3000");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the payload is open JSON whose shape the test asserts
    const vc = verified.payload as Record<string, any>;
    expect(vc.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(vc["@context"]).toEqual([
      "https://www.w3.org/ns/credentials/v2",
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]);
    expect(vc.issuer).toMatchObject({ id: "did:web:localhost%3A3000", type: ["Profile"], name: getEnv().ISSUER_NAME });
    expect(vc.credentialSubject.achievement).toMatchObject({
      type: ["Achievement"],
      name: "Khóa học thử",
      description: "Tóm tắt",
      criteria: { narrative: expect.stringContaining("2") },
      tag: ["ICCPR"],
      alignment: [expect.objectContaining({ targetCode: "ICCPR" })],
    });
    expect(vc.validFrom).toBe("2026-03-02T03:00:00.000Z");
    // What the JSON shows is what was signed.
    expect(body.credential).toEqual(Object.fromEntries(Object.keys(body.credential).map((k) => [k, vc[k]])));
    expect(body.revocation).toBeNull();
  });

  it("names the learner by a salted hash of their email, never the email itself", async () => {
    const { body, text } = await credentialJson(codes[0]!);
    expect(text.toLowerCase()).not.toContain("hoc.vien@example.vn");
    expect(text).not.toContain("Học viên thử");
    const [identity] = body.credential.credentialSubject.identifier;
    expect(identity).toMatchObject({ type: "IdentityObject", identityType: "emailAddress", hashed: true });
    expect(identity.identityHash).toBe(
      `sha256$${createHash("sha256").update(`hoc.vien@example.vn${identity.salt}`).digest("hex")}`,
    );
    // Another certificate, another salt: two credentials of one person do not share a hash.
    const other = (await credentialJson(codes[1]!)).body.credential.credentialSubject.identifier[0];
    expect(other.salt).not.toBe(identity.salt);
  });

  it("is the same on every request, and the bare VC-JWT is served when asked for", async () => {
    const first = (await credentialJson(codes[0]!)).body.jwt;
    expect((await credentialJson(codes[0]!)).body.jwt).toBe(first);
    expect(await credentialJwt(codes[0]!)).toBe(first);
    // A client that says it does not want the JWT (q=0) gets the JSON.
    const request = new Request(`http://localhost/certificates/${codes[0]}.json`, {
      headers: { Accept: "application/vc+jwt;q=0, application/json" },
    });
    const response = (await credentialRoute.loader({
      request,
      params: { code: codes[0]! },
      context: {},
    } as LoaderFunctionArgs)) as Response;
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  });

  it("fails verification when one byte changes, in the payload or the signature", async () => {
    const jwt = await credentialJwt(codes[0]!);
    const [header, payload, signature] = jwt.split(".") as [string, string, string];
    const claims = Buffer.from(payload, "base64url").toString("utf8");
    const forged = claims.replace("Khóa học thử", "Khóa học thứ");
    expect(forged).not.toBe(claims);
    await expect(verify(`${header}.${Buffer.from(forged).toString("base64url")}.${signature}`)).rejects.toThrow(
      /signature/i,
    );
    const flipped = signature.slice(0, 10) + (signature[10] === "A" ? "B" : "A") + signature.slice(11);
    await expect(verify(`${header}.${payload}.${flipped}`)).rejects.toThrow(/signature/i);
    await expect(verify(jwt)).resolves.toMatchObject({ verified: true });
  });

  it("points at a revocation list where its bit is not set", async () => {
    const { body } = await credentialJson(codes[0]!);
    expect(body.credential.credentialStatus).toMatchObject({
      type: "BitstringStatusListEntry",
      statusListCredential: "http://localhost:3000/certificates/status/0",
    });
    expect(await statusBit(body.credential.credentialStatus)).toBe(false);
  });

  it("gives each certificate its own status index, once", async () => {
    const indexes = await Promise.all(
      codes.map(async (code) => (await credentialJson(code)).body.credential.credentialStatus.statusListIndex),
    );
    expect(new Set(indexes).size).toBe(codes.length);
    const stored = await db.courseCompletion.findMany({
      where: { certificateCode: { in: codes } },
      select: { statusIndex: true },
    });
    expect(stored.every((s) => s.statusIndex !== null)).toBe(true);
  });

  it("gives distinct indexes to many certificates issued at the same moment", async () => {
    const course = await createPublishedCourse();
    const learners = await Promise.all(Array.from({ length: 12 }, () => createLearner()));
    for (const l of learners) await recordCourseCompletion(l.id, course.id, new Date());
    const batch = await db.courseCompletion.findMany({
      where: { courseId: course.id },
      select: { certificateCode: true },
    });
    const indexes = await Promise.all(
      batch.map(
        async ({ certificateCode }) =>
          (await credentialJson(certificateCode)).body.credential.credentialStatus.statusListIndex,
      ),
    );
    expect(new Set(indexes).size).toBe(12);
    const stored = await db.courseCompletion.findMany({
      where: { courseId: course.id },
      select: { statusIndex: true },
    });
    expect(stored.map((s) => String(s.statusIndex)).sort()).toEqual([...indexes].sort());
  });

  it("is not there for a code that is not a certificate, nor for a list that does not exist", async () => {
    const missing = await settle(() =>
      credentialRoute.loader({
        request: new Request("http://localhost/x"),
        params: { code: "AAAA-BBBB-CCCC-DDDD" },
        context: {},
      } as LoaderFunctionArgs),
    );
    expect((missing as Response).status).toBe(404);
    const bad = await settle(() =>
      credentialRoute.loader({
        request: new Request("http://localhost/x"),
        params: { code: "../etc" },
        context: {},
      } as LoaderFunctionArgs),
    );
    expect((bad as Response).status).toBe(404);
    for (const list of ["1", "-1", "x", "01"]) {
      const response = await settle(() =>
        statusRoute.loader({
          request: new Request("http://localhost/x"),
          params: { list },
          context: {},
        } as LoaderFunctionArgs),
      );
      expect((response as Response).status).toBe(404);
    }
  });
});

describe("the public page", () => {
  it("says valid, who issued it, for whom and for what, without an account and without the email", async () => {
    const data = await loadPage(codes[0]!);
    expect(data.certificate).toMatchObject({
      code: codes[0],
      learner: { name: "Học viên thử" },
      course: { title: "Khóa học thử" },
      convention: { code: "ICCPR" },
      issuer: { platform: "Tập huấn", organisation: getEnv().ISSUER_NAME },
      revocation: null,
    });
    expect(JSON.stringify(data).toLowerCase()).not.toContain("example.vn");
    expect(data.canRevoke).toBe(false);
    expect((await loadPage(codes[0]!, learner.cookie)).canRevoke).toBe(false);
    expect((await loadPage(codes[0]!, admin.cookie)).canRevoke).toBe(true);
  });
});

describe("revoking a certificate", () => {
  it("is for admins only: others are refused and nothing changes", async () => {
    const anonymous = (await revoke(codes[0]!, { intent: "revoke", reason: "Gian lận khi làm bài" }, "")) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
    for (const cookie of [learner.cookie, coordinatorCookie, trainerCookie]) {
      expect(
        ((await revoke(codes[0]!, { intent: "revoke", reason: "Gian lận khi làm bài" }, cookie)) as Response).status,
      ).toBe(403);
    }
    expect((await db.courseCompletion.findFirstOrThrow({ where: { certificateCode: codes[0] } })).revokedAt).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "certificate.revoke" } })).toBe(0);
  });

  it("needs a reason of 3 to 500 characters and a known certificate, and changes nothing otherwise", async () => {
    for (const reason of ["", " x ", "x".repeat(501)])
      expect(await revoke(codes[0]!, { intent: "revoke", reason })).toEqual({
        status: "invalid",
        fieldErrors: { reason: "certificates:revoke.reasonInvalid" },
      });
    expect(((await revoke(codes[0]!, { reason: "Không có intent" })) as Response).status).toBe(400);
    expect(
      ((await revoke("AAAA-BBBB-CCCC-DDDD", { intent: "revoke", reason: "Không tồn tại" })) as Response).status,
    ).toBe(404);
    expect((await db.courseCompletion.findFirstOrThrow({ where: { certificateCode: codes[0] } })).revokedAt).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "certificate.revoke" } })).toBe(0);
  });

  it("changes the page, the credential and the status list, voids the training record from that moment, and is audited", async () => {
    const before = await db.trainingRecord.findFirstOrThrow({ where: { completion: { certificateCode: codes[0] } } });
    expect(before.voidedAt).toBeNull();
    const { body: issued } = await credentialJson(codes[0]!);

    expect(await revoke(codes[0]!, { intent: "revoke", reason: "Người khác làm bài hộ" })).toEqual({
      status: "ok",
      data: { outcome: "revoked", voidedRecords: 1 },
    });

    const completion = await db.courseCompletion.findFirstOrThrow({ where: { certificateCode: codes[0] } });
    expect(completion).toMatchObject({ revokedReason: "Người khác làm bài hộ", revokedById: admin.id });
    const record = await db.trainingRecord.findUniqueOrThrow({ where: { id: before.id } });
    expect(record.voidedAt?.toISOString()).toBe(completion.revokedAt?.toISOString());
    expect(record).toMatchObject({ voidReason: "Người khác làm bài hộ", voidedById: admin.id });

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "certificate.revoke" } });
    expect(audit).toMatchObject({ actorId: admin.id, targetId: completion.id });
    expect(JSON.parse(audit.details)).toMatchObject({
      code: codes[0],
      reason: "Người khác làm bài hộ",
      voidedRecords: [before.id],
    });
    // The coordinators of the person's province see the void in their trail, with where it came from.
    const voidEntry = await db.auditEvent.findFirstOrThrow({ where: { action: "training.void", targetId: before.id } });
    expect(voidEntry.provinceId).not.toBeNull();

    const data = await loadPage(codes[0]!);
    expect(data.certificate.revocation).toEqual({ at: completion.revokedAt, reason: "Người khác làm bài hộ" });
    expect((await loadPage(codes[0]!, admin.cookie)).canRevoke).toBe(false);

    const { body } = await credentialJson(codes[0]!);
    expect(body.revocation).toEqual({
      revokedAt: completion.revokedAt!.toISOString(),
      reason: "Người khác làm bài hộ",
    });
    // The credential a holder saved still has a valid signature; its status says revoked.
    await expect(verify(issued.jwt)).resolves.toMatchObject({ verified: true });
    expect(await statusBit(issued.credential.credentialStatus)).toBe(true);
    // Others on the same list are untouched.
    expect(await statusBit((await credentialJson(codes[1]!)).body.credential.credentialStatus)).toBe(false);
  });

  it("happens once: a second revoke says when it already was, and changes nothing", async () => {
    const revokedAt = (await db.courseCompletion.findFirstOrThrow({ where: { certificateCode: codes[0] } })).revokedAt!;
    expect(await revoke(codes[0]!, { intent: "revoke", reason: "Lần thứ hai" })).toEqual({
      status: "ok",
      data: { outcome: "alreadyRevoked", at: revokedAt.toISOString() },
    });
    expect((await db.courseCompletion.findFirstOrThrow({ where: { certificateCode: codes[0] } })).revokedReason).toBe(
      "Người khác làm bài hộ",
    );
    expect(await db.auditEvent.count({ where: { action: "certificate.revoke" } })).toBe(1);
  });

  it("revoked before the account was linked to its roster person: linking later makes no training record of it", async () => {
    const late = await createLearner("muon.lien.ket@example.vn");
    const course = await db.course.findFirstOrThrow({
      where: { completions: { some: { certificateCode: codes[0] } } },
    });
    await recordCourseCompletion(late.id, course.id, new Date("2026-03-03T03:00:00Z"));
    const code = (await db.courseCompletion.findFirstOrThrow({ where: { userId: late.id } })).certificateCode;
    expect(await revoke(code, { intent: "revoke", reason: "Cấp nhầm" })).toEqual({
      status: "ok",
      data: { outcome: "revoked", voidedRecords: 0 },
    });
    await importRosterCsv(
      `${ROSTER_HEAD}\nCC-2,Người liên kết muộn,muon.lien.ket@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`,
    );
    const person = await db.rosterPerson.update({ where: { personnelCode: "CC-2" }, data: { userId: late.id } });
    expect(await getSql().transaction((tx) => backfillOnlineTraining(tx, [person.id]))).toBe(0);
    expect(await db.trainingRecord.count({ where: { personId: person.id } })).toBe(0);
    // Nor is it reported as a completion missing its record.
    expect((await completionsWithoutRecord()).map((m) => m.personId)).not.toContain(person.id);
  });

  it("of two admins at the same moment, one revokes and the other is told", async () => {
    const outcomes = await Promise.all([
      revoke(codes[1]!, { intent: "revoke", reason: "Lý do thứ nhất" }),
      revoke(codes[1]!, { intent: "revoke", reason: "Lý do thứ hai" }),
    ]);
    expect(outcomes.map((o) => (o as { data: { outcome: string } }).data.outcome).sort()).toEqual([
      "alreadyRevoked",
      "revoked",
    ]);
    expect(
      await db.auditEvent.count({ where: { action: "certificate.revoke", details: { contains: codes[1] } } }),
    ).toBe(1);
  });
});

describe("the issuer's keys", () => {
  it("are created once, private to the server's user, and published without their private half", async () => {
    const file = getEnv().issuerKeysFile;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, "utf8"));
    const doc = await ((await didRoute.loader()) as Response).json();
    const jwks = await ((await jwksRoute.loader()) as Response).json();
    expect(doc.verificationMethod).toHaveLength(stored.keys.length);
    for (const text of [JSON.stringify(doc), JSON.stringify(jwks)])
      for (const key of stored.keys) expect(text).not.toContain(key.jwk.d);
  });

  it("rotate: new credentials are signed by the new key, and ones signed before still verify", async () => {
    const old = await credentialJwt(codes[2]!);
    const oldKid = JSON.parse(Buffer.from(old.split(".")[0]!, "base64url").toString()).kid;
    rotateIssuerKeys();
    const fresh = await credentialJwt(codes[2]!);
    const freshKid = JSON.parse(Buffer.from(fresh.split(".")[0]!, "base64url").toString()).kid;
    expect(freshKid).not.toBe(oldKid);
    await expect(verify(old)).resolves.toMatchObject({ verified: true });
    await expect(verify(fresh)).resolves.toMatchObject({ verified: true });
    const jwks = await ((await jwksRoute.loader()) as Response).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([oldKid, freshKid]);
  });
});
