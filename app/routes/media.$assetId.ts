import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getOptionalUser } from "~/auth/auth.server";
import { assetVisibility } from "~/media/access.server";
import { serveLocalAsset } from "~/media/serve.server";

const Params = z.object({ assetId: z.string().regex(/^[a-z0-9]{20,40}$/) });

// Lesson media is as open as the MOOC itself; a draft's files only for its editors.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params);
  if (!parsed.success) return new Response("Not found", { status: 404 });
  const visibility = await assetVisibility(parsed.data.assetId, () => getOptionalUser(request));
  if (!visibility) return new Response("Not found", { status: 404 });
  return serveLocalAsset(request, parsed.data.assetId, visibility === "public" ? "public" : "private");
}
