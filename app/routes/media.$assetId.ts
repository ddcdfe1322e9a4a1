import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getOptionalUser } from "~/auth/auth.server";
import { assetVisibility } from "~/teach/media-access.server";
import { serveLocalAsset } from "~/media/serve.server";
import { Id, notFound, parseParams } from "~/utils/route.server";

const Params = z.object({ assetId: Id });

// Lesson media is as open as the MOOC itself; a draft's files only for its editors.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { assetId } = parseParams(params, Params);
  const visibility = await assetVisibility(assetId, () => getOptionalUser(request));
  if (!visibility) return notFound();
  return serveLocalAsset(request, assetId, visibility === "public" ? "public" : "private");
}
