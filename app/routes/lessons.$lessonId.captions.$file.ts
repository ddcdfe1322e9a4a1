import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getOptionalUser } from "~/auth/auth.server";
import { lessonVisibility } from "~/media/access.server";
import { db } from "~/utils/db.server";

const Params = z.object({
  lessonId: z.string().regex(/^[a-z0-9]{20,40}$/),
  file: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\.vtt$/),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params);
  if (!parsed.success) return new Response("Not found", { status: 404 });
  const visibility = await lessonVisibility(parsed.data.lessonId, () => getOptionalUser(request));
  if (!visibility) return new Response("Not found", { status: 404 });
  const language = parsed.data.file.replace(/\.vtt$/, "");
  const caption = await db.lessonCaption.findUnique({
    where: { lessonId_language: { lessonId: parsed.data.lessonId, language } },
    select: { vtt: true },
  });
  if (!caption) return new Response("Not found", { status: 404 });
  return new Response(caption.vtt, {
    headers: { "Content-Type": "text/vtt; charset=utf-8", "Cache-Control": visibility === "public" ? "public, max-age=300" : "private, no-store" },
  });
}
