import type { SessionUser } from "~/auth/auth.server";
import { editableBy } from "~/teach/ownership.server";
import { db } from "~/utils/db.server";

// Media is as open as the MOOC: anything a published course uses is public.
// A draft's files are for the people who may edit that draft, so a preview
// never leaks through a guessed or shared media URL.

const published = { status: "PUBLISHED" as const };

export type Visibility = "public" | "editors" | null;

/** "public" when a published course uses the asset, "editors" when only the viewer's drafts do, null otherwise. */
export async function assetVisibility(assetId: string, viewer: () => Promise<SessionUser | null>): Promise<Visibility> {
  const isPublic = await db.mediaAsset.count({
    where: {
      id: assetId,
      OR: [
        { lessonVideos: { some: { course: published } } },
        { lessonSlides: { some: { course: published } } },
        { courseCovers: { some: published } },
      ],
    },
  });
  if (isPublic > 0) return "public";
  const user = await viewer();
  if (!user) return null;
  const editable = editableBy(user);
  const mine = await db.mediaAsset.count({
    where: {
      id: assetId,
      OR: [
        { lessonVideos: { some: { course: editable } } },
        { lessonSlides: { some: { course: editable } } },
        { courseCovers: { some: editable } },
      ],
    },
  });
  return mine > 0 ? "editors" : null;
}

export async function lessonVisibility(lessonId: string, viewer: () => Promise<SessionUser | null>): Promise<Visibility> {
  if ((await db.lesson.count({ where: { id: lessonId, course: published } })) > 0) return "public";
  const user = await viewer();
  if (!user) return null;
  return (await db.lesson.count({ where: { id: lessonId, course: editableBy(user) } })) > 0 ? "editors" : null;
}
