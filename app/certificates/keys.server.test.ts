import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseEnv } from "~/utils/env.server";
import { keySetFromEnv } from "./issuer-keys.server";
import {
  currentKey,
  didDocument,
  didDocumentUrl,
  didWebOf,
  jwks,
  newIssuerKeySet,
  parseIssuerKeySet,
  rotated,
  thumbprint,
} from "./keys.server";
import { encodeStatusList, statusPosition, STATUS_LIST_BITS } from "./status-list.server";

describe("did:web of the installation", () => {
  it("percent-encodes the port and turns a path into colon-separated segments", () => {
    expect(didWebOf("https://taphuan.example.gov.vn")).toBe("did:web:taphuan.example.gov.vn");
    expect(didWebOf("http://localhost:3000")).toBe("did:web:localhost%3A3000");
    expect(didWebOf("https://example.vn:8443/tap-huan")).toBe("did:web:example.vn%3A8443:tap-huan");
  });

  it("is resolved where the did:web method says", () => {
    expect(didDocumentUrl("did:web:localhost%3A3000")).toBe("https://localhost:3000/.well-known/did.json");
    expect(didDocumentUrl("did:web:example.vn%3A8443:tap-huan")).toBe("https://example.vn:8443/tap-huan/did.json");
  });
});

describe("issuer key sets", () => {
  it("round-trip through JSON, and rotation keeps every old key published", () => {
    const set = newIssuerKeySet();
    const parsed = parseIssuerKeySet(JSON.stringify(set));
    expect(parsed).toEqual({ ok: true, set });
    const next = rotated(set);
    expect(next.keys).toHaveLength(2);
    expect(next.keys[0]).toEqual(set.keys[0]);
    expect(currentKey(next).kid).not.toBe(set.keys[0]!.kid);
    expect(next.identitySecret).toBe(set.identitySecret);
    const doc = didDocument(next, "http://localhost:3000");
    expect(doc.verificationMethod.map((m) => m.id)).toEqual(next.keys.map((k) => `did:web:localhost%3A3000#${k.kid}`));
    expect(doc.assertionMethod).toEqual(doc.verificationMethod.map((m) => m.id));
    expect(JSON.stringify(doc)).not.toContain('"d"');
    expect(JSON.stringify(jwks(next, "http://localhost:3000"))).not.toContain('"d"');
  });

  it("refuses a private key that does not match its public key, a wrong kid, a duplicate, or no key", () => {
    const a = newIssuerKeySet();
    const b = newIssuerKeySet();
    const swapped = { ...a, keys: [{ ...a.keys[0]!, jwk: { ...a.keys[0]!.jwk, d: b.keys[0]!.jwk.d } }] };
    expect(parseIssuerKeySet(JSON.stringify(swapped))).toMatchObject({
      ok: false,
      message: expect.stringContaining("x is not the public key of d"),
    });
    const wrongKid = { ...a, keys: [{ ...a.keys[0]!, kid: thumbprint(b.keys[0]!.jwk) }] };
    expect(parseIssuerKeySet(JSON.stringify(wrongKid))).toMatchObject({
      ok: false,
      message: expect.stringContaining("thumbprint"),
    });
    expect(parseIssuerKeySet(JSON.stringify({ ...a, keys: [a.keys[0], a.keys[0]] }))).toMatchObject({
      ok: false,
      message: expect.stringContaining("twice"),
    });
    expect(parseIssuerKeySet(JSON.stringify({ ...a, keys: [] })).ok).toBe(false);
    expect(parseIssuerKeySet("{").ok).toBe(false);
  });

  it("come from ISSUER_KEYS when set, checked at start, never echoing a key", () => {
    const set = newIssuerKeySet();
    expect(keySetFromEnv(JSON.stringify(set))).toEqual(set);
    const broken = JSON.stringify({ ...set, identitySecret: "short" });
    expect(() => keySetFromEnv(broken)).toThrow(
      /^Invalid environment variables:\n {2}ISSUER_KEYS: not an issuer key set/,
    );
    expect(() => parseEnv({ ISSUER_KEYS: "  " })).toThrow(/ISSUER_KEYS/);
    try {
      keySetFromEnv(broken);
    } catch (error) {
      expect(String(error)).not.toContain(set.keys[0]!.jwk.d);
    }
    expect(() => parseEnv({ ISSUER_KEYS: JSON.stringify(set), ISSUER_KEYS_FILE: "/tmp/k.json" })).toThrow(/not both/);
  });

  it("are kept beside the SQLite database unless ISSUER_KEYS_FILE says otherwise", () => {
    expect(parseEnv({ DATABASE_URL: "file:/srv/taphuan/data/app.db" }).issuerKeysFile).toBe(
      "/srv/taphuan/data/issuer-keys.json",
    );
    expect(
      parseEnv({ DATABASE_URL: "file:/srv/db/app.db", ISSUER_KEYS_FILE: "/etc/taphuan/keys.json" }).issuerKeysFile,
    ).toBe("/etc/taphuan/keys.json");
  });
});

describe("bitstring status list", () => {
  it("sets bit i at the leftmost-first position, in a 131,072-bit list, gzip + multibase base64url", () => {
    const encoded = encodeStatusList([0, 9, STATUS_LIST_BITS - 1]);
    expect(encoded.startsWith("u")).toBe(true);
    const bytes = gunzipSync(Buffer.from(encoded.slice(1), "base64url"));
    expect(bytes.length * 8).toBe(STATUS_LIST_BITS);
    expect(bytes[0]).toBe(0b1000_0000);
    expect(bytes[1]).toBe(0b0100_0000);
    expect(bytes[bytes.length - 1]).toBe(0b0000_0001);
    expect(bytes.subarray(2, bytes.length - 1).every((b) => b === 0)).toBe(true);
    expect(() => encodeStatusList([STATUS_LIST_BITS])).toThrow(RangeError);
  });

  it("places a status index in its list", () => {
    expect(statusPosition(5)).toEqual({ list: 0, bit: 5 });
    expect(statusPosition(STATUS_LIST_BITS + 3)).toEqual({ list: 1, bit: 3 });
  });
});
