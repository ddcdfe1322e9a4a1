import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { issueCredential } from "~/certificates/credential.server";
import { CERTIFICATE_CODE, getCertificateDetails } from "~/certificates/details.server";
import { didDocumentUrl } from "~/certificates/keys.server";
import { publicJson, publicJwt, wantsJwt } from "~/certificates/responses.server";
import { getEnv } from "~/utils/env.server";
import { notFound, parseParams } from "~/utils/route.server";

// The certificate as an Open Badges 3.0 credential, public like its page:
// Accept: application/vc+jwt gets the signed VC-JWT itself; anything else a
// JSON document with the credential, its JWT, where to find the keys, and
// whether it has been revoked.

const Params = z.object({ code: z.string().regex(CERTIFICATE_CODE) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = parseParams(params, Params);
  const details = await getCertificateDetails(code);
  if (!details) throw notFound();
  const { credential, jwt } = await issueCredential(details);
  // Short: a revocation shows within a minute; the JWT itself changes only with a new key.
  const cache = "public, max-age=60";
  if (wantsJwt(request)) return publicJwt(jwt, cache);
  const did = credential.issuer.id;
  return publicJson(
    {
      credential,
      jwt,
      revocation: details.revocation
        ? { revokedAt: details.revocation.at.toISOString(), reason: details.revocation.reason }
        : null,
      verification: {
        page: details.verifyUrl,
        did,
        didDocument: didDocumentUrl(did),
        jwks: `${getEnv().publicUrl}/.well-known/jwks.json`,
        statusList: credential.credentialStatus.statusListCredential,
      },
    },
    cache,
  );
}
