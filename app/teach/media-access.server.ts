import type { SessionUser } from "~/auth/auth.server";
import { editableBy } from "./ownership.server";
import { db } from "~/utils/db.server";

// Who may fetch a course's files. Visitors without an account get a published
// course's cover and the media of its free-preview lessons, nothing else; a
// signed-in learner gets everything a published course uses (enrolling is one
// click, so that is the MOOC's openness); a draft's files are for the people
// who may edit that draft, so a preview never leaks through a guessed URL.

const published = { status: "PUBLISHED" as const };

type CourseFilter = ReturnType<typeof editableBy> | typeof published;

/** Assets that a course matching `course` uses: a lesson's video or slides (only preview lessons' if `previewOnly`), or its cover. */
const usedBy = (course: CourseFilter, previewOnly = false) => {
  const lesson = previewOnly ? { course, isPreview: true } : { course };
  return {
    OR: [{ lessonVideos: { some: lesson } }, { lessonSlides: { some: lesson } }, { courseCovers: { some: course } }],
  };
};

/** "public": anyone, cacheable; "members": any signed-in account; "editors": the viewer's drafts; null: not for this viewer. */
export type Visibility = "public" | "members" | "editors" | null;

export async function assetVisibility(assetId: string, viewer: () => Promise<SessionUser | null>): Promise<Visibility> {
  if ((await db.mediaAsset.count({ where: { id: assetId, ...usedBy(published, true) } })) > 0) return "public";
  const user = await viewer();
  if (!user) return null;
  if ((await db.mediaAsset.count({ where: { id: assetId, ...usedBy(published) } })) > 0) return "members";
  const mine = await db.mediaAsset.count({ where: { id: assetId, ...usedBy(editableBy(user)) } });
  return mine > 0 ? "editors" : null;
}

/** The same for a lesson's captions. */
export async function lessonVisibility(
  lessonId: string,
  viewer: () => Promise<SessionUser | null>,
): Promise<Visibility> {
  if ((await db.lesson.count({ where: { id: lessonId, isPreview: true, course: published } })) > 0) return "public";
  const user = await viewer();
  if (!user) return null;
  if ((await db.lesson.count({ where: { id: lessonId, course: published } })) > 0) return "members";
  return (await db.lesson.count({ where: { id: lessonId, course: editableBy(user) } })) > 0 ? "editors" : null;
}
