import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getOptionalUser } from "~/auth/auth.server";
import { lessonVisibility } from "~/teach/media-access.server";
import { lessonCaptionVtt } from "~/catalog/catalog.server";
import { Id, notFound, parseParams } from "~/utils/route.server";

const Params = z.object({
  lessonId: Id,
  file: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\.vtt$/),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lessonId, file } = parseParams(params, Params);
  const visibility = await lessonVisibility(lessonId, () => getOptionalUser(request));
  if (!visibility) return notFound();
  const language = file.replace(/\.vtt$/, "");
  const vtt = await lessonCaptionVtt(lessonId, language);
  if (vtt === null) return notFound();
  return new Response(vtt, {
    headers: {
      "Content-Type": "text/vtt; charset=utf-8",
      "Cache-Control": visibility === "public" ? "public, max-age=300" : "private, no-store",
    },
  });
}
