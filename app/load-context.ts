import type { AppLoadContext } from "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    clientIp?: string | null;
    /** The Content-Security-Policy nonce server.js put in this response's header. */
    cspNonce?: string;
  }
}

export function clientIp(context: AppLoadContext | undefined): string | null {
  return context?.clientIp ?? null;
}
