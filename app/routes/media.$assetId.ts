import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getOptionalUser } from "~/auth/auth.server";
import { assetVisibility } from "~/teach/media-access.server";
import { serveLocalAsset } from "~/media/serve.server";
import { Id, notFound, parseParams } from "~/utils/route.server";

const Params = z.object({ assetId: Id });

// A visitor gets covers and free-preview media; a signed-in learner every published course's; a draft's files only its editors.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { assetId } = parseParams(params, Params);
  const visibility = await assetVisibility(assetId, () => getOptionalUser(request));
  if (!visibility) return notFound();
  return serveLocalAsset(request, assetId, visibility === "public" ? "public" : "private");
}
