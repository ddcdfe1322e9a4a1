import { issuerKeySet } from "~/certificates/issuer-keys.server";
import { didDocument } from "~/certificates/keys.server";
import { publicJson } from "~/certificates/responses.server";
import { getEnv } from "~/utils/env.server";

// The installation's did:web document: every key that ever signed a
// credential, so a verifier anywhere checks a signature without asking us.
export async function loader() {
  return publicJson(didDocument(issuerKeySet(), getEnv().publicUrl), "public, max-age=300", "application/did+json");
}
