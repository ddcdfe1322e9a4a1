import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { statusListCount, statusListCredential } from "~/certificates/credential.server";
import { publicJson, publicJwt, wantsJwt } from "~/certificates/responses.server";
import { notFound } from "~/utils/route.server";

// A Bitstring Status List credential: which certificates are revoked, one bit
// each, signed. Each credential's credentialStatus points here.

const Params = z.object({
  list: z
    .string()
    .regex(/^(0|[1-9]\d{0,5})$/)
    .transform(Number),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params);
  if (!parsed.success || parsed.data.list >= (await statusListCount())) throw notFound();
  const { credential, jwt } = await statusListCredential(parsed.data.list);
  const cache = "public, max-age=60";
  return wantsJwt(request) ? publicJwt(jwt, cache) : publicJson({ credential, jwt }, cache);
}
