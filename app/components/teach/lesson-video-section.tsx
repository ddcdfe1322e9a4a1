import { useTranslation } from "react-i18next";
import { UploadField } from "~/components/upload-field";
import type { UploadRefusal } from "~/media/refusals";
import { formatClock } from "~/utils/format";

export type LessonVideo = {
  id: string;
  durationSeconds: number | null;
  videoAsset: { originalName: string | null; storage: string } | null;
  /** The latest upload to Mux, while Mux is still working on it or after it refused the file. */
  muxUpload: { status: string; fileName: string; refusal: UploadRefusal | null } | null;
};

/** The lesson's video: what is there, a Mux upload under way or refused, and the upload field. */
export function LessonVideoSection({
  courseId,
  lesson,
  storage,
  maxVideo,
  onStored,
}: {
  courseId: string;
  lesson: LessonVideo;
  storage: string;
  maxVideo: string;
  onStored: () => void;
}) {
  const { t } = useTranslation("teach");
  const muxUpload = lesson.muxUpload;
  return (
    <section className="card" aria-labelledby="video-heading">
      <h2 id="video-heading">{t("video.heading")}</h2>
      {lesson.videoAsset ? (
        <p data-testid="current-video">
          {t("video.current", {
            duration: formatClock(lesson.durationSeconds ?? 0),
            file: lesson.videoAsset.originalName ?? "",
            storage: lesson.videoAsset.storage === "MUX" ? "Mux" : t("video.local"),
          })}
        </p>
      ) : (
        <p className="empty">{t("video.none")}</p>
      )}
      {muxUpload?.status === "PROCESSING" || muxUpload?.status === "RECEIVING" ? (
        <p className="notice warning">{t("video.muxPending", { file: muxUpload.fileName })}</p>
      ) : null}
      {muxUpload?.status === "REFUSED" && muxUpload.refusal ? (
        <p className="form-error" role="alert">
          {t(`refusal.${muxUpload.refusal.code}`, { ...muxUpload.refusal.values, file: muxUpload.fileName })}
        </p>
      ) : null}
      <UploadField
        purpose="LESSON_VIDEO"
        courseId={courseId}
        lessonId={lesson.id}
        label={lesson.videoAsset ? t("video.replace") : t("video.pick")}
        hint={t("video.hint", { limit: maxVideo }) + (storage === "mux" ? ` ${t("video.muxHint")}` : "")}
        accept="video/mp4,video/webm,.mp4,.webm"
        onStored={onStored}
      />
    </section>
  );
}
