import { cuesFitDeck } from "~/catalog/slide-cues";
import type { DbClient } from "~/utils/db.server";

// Where an accepted file goes: a lesson's video or slides, or a course's cover.
// The one home of these writes, for local uploads and Mux's webhook alike; they
// run inside the transaction that stores the asset, so a file is never stored
// without its place, nor a place left pointing at a file that is not there.

/** Makes the asset the lesson's video; returns the video it replaces (it may now be unused). */
export async function attachLessonVideo(tx: DbClient, lessonId: string, assetId: string, durationSeconds: number | null): Promise<string | null> {
  const previous = await tx.lesson.findUnique({ where: { id: lessonId }, select: { videoAssetId: true } });
  await tx.lesson.update({ where: { id: lessonId }, data: { videoAssetId: assetId, durationSeconds } });
  return previous?.videoAssetId ?? null;
}

/** Makes the PDF the lesson's slides; cue times that do not fit its page count are cleared. */
export async function attachLessonSlides(tx: DbClient, lessonId: string, assetId: string, pageCount: number | null) {
  const lesson = await tx.lesson.findUniqueOrThrow({ where: { id: lessonId }, select: { slideCues: true } });
  const cues = JSON.parse(lesson.slideCues) as number[];
  await tx.lesson.update({
    where: { id: lessonId },
    data: { slidesKind: "PDF", slidesAssetId: assetId, slidesMarkdown: null, ...(cuesFitDeck(cues, pageCount ?? 0) ? {} : { slideCues: "[]" }) },
  });
}

export async function attachCourseCover(tx: DbClient, courseId: string, assetId: string) {
  await tx.course.update({ where: { id: courseId }, data: { coverAssetId: assetId } });
}
