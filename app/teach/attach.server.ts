import { cuesFitDeck } from "~/catalog/slide-cues";
import { parseSlideCues, serializeSlideCues } from "~/catalog/slides";
import type { AttachFile, FilePlacement } from "~/media/placement";
import type { DbClient } from "~/utils/db.server";
import { courseAccess } from "./ownership.server";

// Where an accepted file goes: a lesson's video or slides, or a course's cover.
// The one home of these writes, for local uploads and Mux's webhook alike
// (media stores and measures the file, then calls in here); they run inside
// the transaction that stores the asset, so a file is never stored without
// its place, nor a place left pointing at a file that is not there.

/**
 * The one cue-reset rule for a new deck: cue times that do not fit its
 * `slideCount` slides are cleared (Markdown decks, PDF uploads). True when
 * the lesson's cues must go.
 */
export async function cuesClearedByDeck(tx: DbClient, lessonId: string, slideCount: number): Promise<boolean> {
  const lesson = await tx.lesson.findUniqueOrThrow({ where: { id: lessonId }, select: { slideCues: true } });
  return !cuesFitDeck(parseSlideCues(lesson.slideCues), slideCount);
}

/** Makes the asset the lesson's video; returns the video it replaces (it may now be unused). */
export async function attachLessonVideo(
  tx: DbClient,
  lessonId: string,
  assetId: string,
  durationSeconds: number | null,
): Promise<string | null> {
  const previous = await tx.lesson.findUnique({ where: { id: lessonId }, select: { videoAssetId: true } });
  await tx.lesson.update({ where: { id: lessonId }, data: { videoAssetId: assetId, durationSeconds } });
  return previous?.videoAssetId ?? null;
}

/** Makes the PDF the lesson's slides; cue times that do not fit its page count are cleared. */
export async function attachLessonSlides(tx: DbClient, lessonId: string, assetId: string, pageCount: number | null) {
  const clearCues = await cuesClearedByDeck(tx, lessonId, pageCount ?? 0);
  await tx.lesson.update({
    where: { id: lessonId },
    data: {
      slidesKind: "PDF",
      slidesAssetId: assetId,
      slidesMarkdown: null,
      ...(clearCues ? { slideCues: serializeSlideCues([]) } : {}),
    },
  });
}

export async function attachCourseCover(tx: DbClient, courseId: string, assetId: string) {
  await tx.course.update({ where: { id: courseId }, data: { coverAssetId: assetId } });
}

/** A finished local upload: the file takes its place and the course counts as changed. */
const attachUpload: AttachFile = async (tx, target, file) => {
  // What the new file replaces: it may now be used by nothing (media GC).
  const replaced =
    target.purpose === "COURSE_COVER"
      ? [
          (await tx.course.findUniqueOrThrow({ where: { id: target.courseId }, select: { coverAssetId: true } }))
            .coverAssetId,
        ]
      : Object.values(
          await tx.lesson.findUniqueOrThrow({
            where: { id: target.lessonId! },
            select: { videoAssetId: true, slidesAssetId: true },
          }),
        );
  if (target.purpose === "LESSON_VIDEO")
    await attachLessonVideo(tx, target.lessonId!, file.assetId, file.durationSeconds);
  else if (target.purpose === "LESSON_SLIDES")
    await attachLessonSlides(tx, target.lessonId!, file.assetId, file.pageCount);
  else await attachCourseCover(tx, target.courseId, file.assetId);
  await tx.course.update({ where: { id: target.courseId }, data: { updatedAt: new Date() } });
  return replaced;
};

/** A video Mux has made ready: it becomes the lesson's video. */
const attachMuxVideo: AttachFile = async (tx, target, file) => [
  await attachLessonVideo(tx, target.lessonId!, file.assetId, file.durationSeconds),
];

/** What a local upload needs from teach: who may edit the course, and where the file goes. */
export const uploadPlacement: FilePlacement = { access: courseAccess, attach: attachUpload };
export { attachMuxVideo };
