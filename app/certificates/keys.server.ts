import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { z } from "zod";

// The installation's signing keys: Ed25519, as JWKs, with the newest one
// signing and every older one still published so credentials signed before a
// rotation keep verifying (docs/decisions/080-certificates-credentials.md).

const B64URL_32 = /^[A-Za-z0-9_-]{43}$/;

const PrivateJwk = z.strictObject({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: z.string().regex(B64URL_32, { message: "x must be 32 bytes, base64url" }),
  d: z.string().regex(B64URL_32, { message: "d must be 32 bytes, base64url" }),
});
export type PrivateJwk = z.infer<typeof PrivateJwk>;
export type PublicJwk = Omit<PrivateJwk, "d">;

const IssuerKey = z.strictObject({
  /** The key's JWK thumbprint (RFC 7638): the fragment of its id in the DID document. */
  kid: z.string().regex(B64URL_32),
  createdAt: z.iso.datetime(),
  jwk: PrivateJwk,
});
export type IssuerKey = z.infer<typeof IssuerKey>;

/** RFC 7638 thumbprint of an Ed25519 key: SHA-256 of its required members in lexical order. */
export function thumbprint(jwk: PublicJwk): string {
  return createHash("sha256")
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }))
    .digest("base64url");
}

function publicXOf(jwk: PrivateJwk): string | null {
  try {
    const exported = createPublicKey(createPrivateKey({ key: jwk, format: "jwk" })).export({ format: "jwk" });
    return typeof exported.x === "string" ? exported.x : null;
  } catch {
    return null;
  }
}

export const IssuerKeySetSchema = z
  .strictObject({
    version: z.literal(1),
    /** Secret behind each credential's salt for the learner's hashed email: the same credential on every request. */
    identitySecret: z.string().regex(B64URL_32, { message: "must be 32 bytes, base64url" }),
    /** Oldest first; the last one signs. */
    keys: z.array(IssuerKey).min(1).max(100),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.keys.forEach((key, i) => {
      if (seen.has(key.kid)) ctx.addIssue({ code: "custom", path: ["keys", i, "kid"], message: "the same key twice" });
      seen.add(key.kid);
      if (publicXOf(key.jwk) !== key.jwk.x)
        ctx.addIssue({ code: "custom", path: ["keys", i, "jwk"], message: "x is not the public key of d" });
      else if (thumbprint(key.jwk) !== key.kid)
        ctx.addIssue({ code: "custom", path: ["keys", i, "kid"], message: "kid is not the key's JWK thumbprint" });
    });
  });
export type IssuerKeySet = z.infer<typeof IssuerKeySetSchema>;

/** Reads a key set from its JSON text; the message lists what is wrong, never a key. */
export function parseIssuerKeySet(text: string): { ok: true; set: IssuerKeySet } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, message: "not JSON" };
  }
  const parsed = IssuerKeySetSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      message: parsed.error.issues.map((i) => `${i.path.join(".") || "(keys)"}: ${i.message}`).join("; "),
    };
  return { ok: true, set: parsed.data };
}

export function newIssuerKey(now = new Date()): IssuerKey {
  const { privateKey } = generateKeyPairSync("ed25519");
  const exported = privateKey.export({ format: "jwk" });
  const jwk = PrivateJwk.parse({ kty: exported.kty, crv: exported.crv, x: exported.x, d: exported.d });
  return { kid: thumbprint(jwk), createdAt: now.toISOString(), jwk };
}

export function newIssuerKeySet(now = new Date()): IssuerKeySet {
  return { version: 1, identitySecret: randomBytes(32).toString("base64url"), keys: [newIssuerKey(now)] };
}

/** A new current key; the old ones stay, published, so what they signed still verifies. */
export function rotated(set: IssuerKeySet, now = new Date()): IssuerKeySet {
  return { ...set, keys: [...set.keys, newIssuerKey(now)] };
}

export function currentKey(set: IssuerKeySet): IssuerKey {
  return set.keys[set.keys.length - 1]!;
}

export function publicJwk(key: IssuerKey): PublicJwk {
  return { kty: key.jwk.kty, crv: key.jwk.crv, x: key.jwk.x };
}

// ---------------------------------------------------------------- did:web

/**
 * The installation's DID: did:web of PUBLIC_URL, the port percent-encoded and
 * a path's segments after colons (https://example.vn:8443/taphuan →
 * did:web:example.vn%3A8443:taphuan).
 */
export function didWebOf(publicUrl: string): string {
  const url = new URL(publicUrl);
  const segments = url.pathname.split("/").filter(Boolean).map(encodeURIComponent);
  return ["did:web", encodeURIComponent(url.host), ...segments].join(":");
}

/** Where a did:web's document is fetched from, as the did:web method says. */
export function didDocumentUrl(did: string): string {
  const [host, ...segments] = did.replace(/^did:web:/, "").split(":");
  const base = `https://${decodeURIComponent(host ?? "")}`;
  return segments.length === 0
    ? `${base}/.well-known/did.json`
    : `${base}/${segments.map(decodeURIComponent).join("/")}/did.json`;
}

export function verificationMethodId(did: string, key: IssuerKey): string {
  return `${did}#${key.kid}`;
}

export function didDocument(set: IssuerKeySet, publicUrl: string) {
  const did = didWebOf(publicUrl);
  const ids = set.keys.map((key) => verificationMethodId(did, key));
  return {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
    id: did,
    verificationMethod: set.keys.map((key) => ({
      id: verificationMethodId(did, key),
      type: "JsonWebKey2020",
      controller: did,
      publicKeyJwk: publicJwk(key),
    })),
    assertionMethod: ids,
    service: [{ id: `${did}#platform`, type: "LinkedDomains", serviceEndpoint: publicUrl }],
  };
}

/** The same keys as a JWKS, each kid the one a credential's JWT header names. */
export function jwks(set: IssuerKeySet, publicUrl: string) {
  const did = didWebOf(publicUrl);
  return {
    keys: set.keys.map((key) => ({ ...publicJwk(key), kid: verificationMethodId(did, key), alg: "EdDSA", use: "sig" })),
  };
}
