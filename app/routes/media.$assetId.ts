import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { serveLocalAsset } from "~/media/serve.server";

const Params = z.object({ assetId: z.string().regex(/^[a-z0-9]{20,40}$/) });

// Lesson media is as open as the MOOC itself: the catalog is public, and the
// asset id is only known from a published lesson page.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params);
  if (!parsed.success) return new Response("Not found", { status: 404 });
  return serveLocalAsset(request, parsed.data.assetId);
}
