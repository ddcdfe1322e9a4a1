import { createHash, createHmac } from "node:crypto";
import i18next, { type TFunction } from "i18next";
import { importJWK, SignJWT } from "jose";
import { fragment, getSql } from "~/db/sql.server";
import { i18nOptions, isLanguage, type Language } from "~/i18n";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { type CertificateDetails } from "./details.server";
import { issuerKeySet } from "./issuer-keys.server";
import { currentKey, didWebOf, verificationMethodId, type IssuerKeySet } from "./keys.server";
import { encodeStatusList, statusPosition, STATUS_LIST_BITS } from "./status-list.server";

// Every certificate is also an Open Badges 3.0 OpenBadgeCredential in the
// W3C Verifiable Credentials 2.0 data model, secured as a VC-JWT (EdDSA,
// Ed25519) by the installation's current key. Revocation is published in a
// Bitstring Status List credential, signed the same way.

const VC_CONTEXT = "https://www.w3.org/ns/credentials/v2";
const OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
const OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

export const VC_JWT_TYPE = "application/vc+jwt";

export function credentialUrl(code: string): string {
  return `${getEnv().publicUrl}/certificates/${code}.json`;
}

export function statusListUrl(list: number): string {
  return `${getEnv().publicUrl}/certificates/status/${list}`;
}

function issuerProfile(details: Pick<CertificateDetails, "issuer">) {
  const did = didWebOf(details.issuer.url);
  return {
    id: did,
    type: ["Profile"],
    name: details.issuer.organisation,
    url: details.issuer.url,
    description: details.issuer.platform,
  };
}

const translations = new Map<Language, Promise<TFunction>>();

/** The credential speaks the course's language (Vietnamese unless the course is in English). */
function credentialT(language: string): Promise<TFunction> {
  const lng: Language = isLanguage(language) ? language : "vi";
  let pending = translations.get(lng);
  if (!pending) {
    const instance = i18next.createInstance();
    pending = instance
      .init({ ...i18nOptions, lng, initImmediate: false })
      .then(() => instance.getFixedT(lng, "certificates"));
    translations.set(lng, pending);
  }
  return pending;
}

/**
 * The learner, by a salted hash of their email (Open Badges' IdentityObject):
 * whoever knows the address can check it is theirs; nobody can read it off.
 * The salt is derived from the certificate's code, so the credential is the
 * same on every request.
 */
export function hashedEmail(email: string, code: string, secret: string) {
  const salt = createHmac("sha256", Buffer.from(secret, "base64url"))
    .update(`identity:${code}`)
    .digest("hex")
    .slice(0, 32);
  const identityHash = `sha256$${createHash("sha256").update(`${email.trim().toLowerCase()}${salt}`).digest("hex")}`;
  return { type: "IdentityObject", identityHash, identityType: "emailAddress", hashed: true, salt };
}

/** Gives the certificate its bit in the status lists the first time its credential is issued: the next free one. */
export async function ensureStatusIndex(details: Pick<CertificateDetails, "id" | "statusIndex">): Promise<number> {
  if (details.statusIndex !== null) return details.statusIndex;
  for (let attempt = 1; ; attempt++) {
    try {
      // One statement: two requests for the same certificate give it one index;
      // two certificates reading the same maximum at once collide on the unique index, and the loser takes the next.
      const sql = getSql();
      await sql.run(
        sql.db
          .updateTable("CourseCompletion")
          .set((eb) => ({
            statusIndex: eb
              .selectFrom("CourseCompletion as c")
              .select((inner) => fragment<number>`COALESCE(MAX(${inner.ref("c.statusIndex")}), -1) + 1`.as("next")),
          }))
          .where("id", "=", details.id)
          .where("statusIndex", "is", null),
      );
    } catch (error) {
      const unique = /23505|UNIQUE constraint failed|P2002/.test(
        `${(error as { code?: string }).code ?? ""} ${(error as Error).message ?? ""}`,
      );
      if (!unique || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      continue;
    }
    const row = await db.courseCompletion.findUnique({ where: { id: details.id }, select: { statusIndex: true } });
    if (row?.statusIndex != null) return row.statusIndex;
    throw new Error(`certificate ${details.id} is gone`);
  }
}

export type OpenBadgeCredential = Awaited<ReturnType<typeof buildCredential>>;

/** The credential a certificate stands for, unsigned: what the JWT's payload carries. */
export async function buildCredential(details: CertificateDetails, statusIndex: number, identitySecret: string) {
  const t = await credentialT(details.course.language);
  const english = details.course.language === "en";
  const { list } = statusPosition(statusIndex);
  const publicUrl = details.issuer.url;
  const minutes = Math.max(1, Math.round(details.course.videoSeconds / 60));
  const convention = {
    code: details.convention.code,
    name: english ? details.convention.nameEn : details.convention.nameVi,
  };
  return {
    "@context": [VC_CONTEXT, OB_CONTEXT],
    id: credentialUrl(details.code),
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: english && details.course.titleEn ? details.course.titleEn : details.course.title,
    issuer: issuerProfile(details),
    validFrom: details.completedAt.toISOString(),
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier: [hashedEmail(details.learner.email, details.code, identitySecret)],
      achievement: {
        id: `${publicUrl}/courses/${details.course.code}`,
        type: ["Achievement"],
        achievementType: "Course",
        name: english && details.course.titleEn ? details.course.titleEn : details.course.title,
        description: (english && details.course.summaryEn) || details.course.summary,
        criteria: { narrative: t("credential.criteria", { lessons: details.course.lessonCount, minutes }) },
        inLanguage: details.course.language,
        tag: [convention.code],
        alignment: [
          {
            type: ["Alignment"],
            targetName: `${convention.code} — ${convention.name}`,
            targetCode: convention.code,
            targetUrl: `${publicUrl}/#${convention.code.toLowerCase()}`,
          },
        ],
        creator: issuerProfile(details),
      },
    },
    credentialStatus: {
      id: `${statusListUrl(list)}#${statusIndex}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: String(statusIndex),
      statusListCredential: statusListUrl(list),
    },
    credentialSchema: [{ id: OB_SCHEMA, type: "1EdTechJsonSchemaValidator2019" }],
  };
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Signs a credential as a VC-JWT with the current key: the credential is the payload, with the JWT claims that restate it. */
export async function signCredential(
  credential: { id: string; issuer: { id: string } | string; validFrom: string },
  set: IssuerKeySet = issuerKeySet(),
): Promise<string> {
  const key = currentKey(set);
  const issuer = typeof credential.issuer === "string" ? credential.issuer : credential.issuer.id;
  const at = seconds(new Date(credential.validFrom));
  return new SignJWT({ ...credential })
    .setProtectedHeader({ alg: "EdDSA", typ: "vc+jwt", cty: "vc", kid: verificationMethodId(issuer, key) })
    .setIssuer(issuer)
    .setJti(credential.id)
    .setIssuedAt(at)
    .setNotBefore(at)
    .sign(await importJWK(key.jwk, "EdDSA"));
}

/** A certificate's credential and its JWT; gives it a status index the first time. */
export async function issueCredential(
  details: CertificateDetails,
): Promise<{ credential: OpenBadgeCredential; jwt: string }> {
  const set = issuerKeySet();
  const statusIndex = await ensureStatusIndex(details);
  const credential = await buildCredential(details, statusIndex, set.identitySecret);
  return { credential, jwt: await signCredential(credential, set) };
}

/** The lists that exist: every list up to the one holding the highest index given so far (list 0 always). */
export async function statusListCount(): Promise<number> {
  const { _max } = await db.courseCompletion.aggregate({ _max: { statusIndex: true } });
  return _max.statusIndex === null ? 1 : statusPosition(_max.statusIndex).list + 1;
}

/** The revocation list `list` as it stands now: a signed BitstringStatusListCredential. */
export async function statusListCredential(
  list: number,
  now = new Date(),
): Promise<{ credential: Record<string, unknown>; jwt: string }> {
  const revoked = await db.courseCompletion.findMany({
    where: {
      revokedAt: { not: null },
      statusIndex: { gte: list * STATUS_LIST_BITS, lt: (list + 1) * STATUS_LIST_BITS },
    },
    select: { statusIndex: true },
  });
  const url = statusListUrl(list);
  const issuer = didWebOf(getEnv().publicUrl);
  const credential = {
    "@context": [VC_CONTEXT],
    id: url,
    type: ["VerifiableCredential", "BitstringStatusListCredential"],
    issuer,
    validFrom: new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString(),
    credentialSubject: {
      id: `${url}#list`,
      type: "BitstringStatusList",
      statusPurpose: "revocation",
      encodedList: encodeStatusList(revoked.map((r) => statusPosition(r.statusIndex!).bit)),
    },
  };
  return { credential, jwt: await signCredential(credential) };
}
