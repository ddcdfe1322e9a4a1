import type { SessionUser } from "~/auth/auth.server";
import { editableBy } from "./ownership.server";
import { db } from "~/utils/db.server";

// Media is as open as the MOOC: anything a published course uses is public.
// A draft's files are for the people who may edit that draft, so a preview
// never leaks through a guessed or shared media URL.

const published = { status: "PUBLISHED" as const };

type CourseFilter = ReturnType<typeof editableBy> | typeof published;

/** Assets that a course matching `course` uses: a lesson's video or slides, or its cover. */
const usedBy = (course: CourseFilter) => ({
  OR: [{ lessonVideos: { some: { course } } }, { lessonSlides: { some: { course } } }, { courseCovers: { some: course } }],
});

export type Visibility = "public" | "editors" | null;

/** "public" when a published course uses the asset, "editors" when only the viewer's drafts do, null otherwise. */
export async function assetVisibility(assetId: string, viewer: () => Promise<SessionUser | null>): Promise<Visibility> {
  const isPublic = await db.mediaAsset.count({ where: { id: assetId, ...usedBy(published) } });
  if (isPublic > 0) return "public";
  const user = await viewer();
  if (!user) return null;
  const mine = await db.mediaAsset.count({ where: { id: assetId, ...usedBy(editableBy(user)) } });
  return mine > 0 ? "editors" : null;
}

export async function lessonVisibility(lessonId: string, viewer: () => Promise<SessionUser | null>): Promise<Visibility> {
  if ((await db.lesson.count({ where: { id: lessonId, course: published } })) > 0) return "public";
  const user = await viewer();
  if (!user) return null;
  return (await db.lesson.count({ where: { id: lessonId, course: editableBy(user) } })) > 0 ? "editors" : null;
}
