import { z } from "zod";

// One convention for what every route does with a bad URL or a refused
// request: the helpers return a Response, the route throws it, and the
// nearest error boundary renders it (a resource route sends it as is).

/** A row id in a URL: Prisma's cuid(), or the sortable ids of bulk writes (app/utils/ids.ts). */
export const Id = z.string().regex(/^[a-z0-9]{20,40}$/);

export const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });
export const forbidden = () => new Response("Forbidden", { status: 403, statusText: "Forbidden" });
export const badRequest = (message = "Bad Request") =>
  new Response(message, { status: 400, statusText: "Bad Request" });

/**
 * The route's params, checked by `schema`. A malformed param names no row
 * that can exist, so it is a 404 like an unknown one, never a 400 or a 500.
 */
export function parseParams<T extends z.ZodTypeAny>(params: unknown, schema: T): z.output<T> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data;
}
