import { VC_JWT_TYPE } from "./credential.server";

// Published documents (credentials, status lists, the DID document, the
// JWKS) are read by verifiers anywhere, scripts and browser wallets alike:
// open to every origin, never carrying a cookie's worth of anything private.

const PUBLIC_HEADERS = { "Access-Control-Allow-Origin": "*", "X-Robots-Tag": "noindex" };

/** True when the client asks for the bare VC-JWT (application/vc+jwt or application/jwt) rather than JSON. */
export function wantsJwt(request: Request): boolean {
  return (request.headers.get("Accept") ?? "")
    .split(",")
    .map((part) => part.trim().split(";"))
    .some(([type, ...params]) => {
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return (type === VC_JWT_TYPE || type === "application/jwt") && (q === undefined || Number(q.slice(2)) > 0);
    });
}

export function publicJson(data: unknown, cacheControl: string, contentType = "application/json"): Response {
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      ...PUBLIC_HEADERS,
      "Content-Type": `${contentType}; charset=utf-8`,
      "Cache-Control": cacheControl,
      Vary: "Accept",
    },
  });
}

export function publicJwt(jwt: string, cacheControl: string): Response {
  return new Response(jwt, {
    headers: { ...PUBLIC_HEADERS, "Content-Type": VC_JWT_TYPE, "Cache-Control": cacheControl, Vary: "Accept" },
  });
}
