import { issuerKeySet } from "~/certificates/issuer-keys.server";
import { jwks } from "~/certificates/keys.server";
import { publicJson } from "~/certificates/responses.server";
import { getEnv } from "~/utils/env.server";

// The same public keys as a JWKS, for verifiers that know JOSE and not DIDs.
export async function loader() {
  return publicJson(jwks(issuerKeySet(), getEnv().publicUrl), "public, max-age=300", "application/jwk-set+json");
}
