import { useTranslation } from "react-i18next";
import type { ProgressAck } from "~/learning/progress-reporter";
import { LessonPlayer, playerSource } from "./lesson-player";
import { PdfSlides } from "./pdf-slides";
import { SlideViewer } from "./slide-viewer";
import type { PlayerChunks } from "./player/player-kind";

// The video beside its slides, as learners see it; the trainer's preview shows the same stage.

export type StageSlides =
  { kind: "html"; pages: string[] } | { kind: "pdf"; assetId: string; pageCount: number } | null;

type Props = {
  lesson: {
    id: string;
    title: string;
    language: string;
    video: Parameters<typeof playerSource>[0];
    captions: { language: string; label: string }[];
    slides: StageSlides;
  };
  /** When each slide starts; the preview passes the times being recorded. */
  cues: number[];
  /** The video's time, which the slides follow; the page keeps it (the cue recorder reads it too). */
  currentTime: number;
  onTime: (seconds: number) => void;
  /** The learner's view of this page and who they are; null in trainers' previews (watching a draft is not learning). */
  viewId: string | null;
  learnerId: string | null;
  startTime: number;
  onProgress: (result: ProgressAck) => void;
  /** The player's script chunks, fetched with the page's own instead of after hydration (app/utils/client-chunks.server.ts). */
  playerChunks?: PlayerChunks;
};

export function LessonStage({
  lesson,
  cues,
  currentTime,
  onTime,
  viewId,
  learnerId,
  startTime,
  onProgress,
  playerChunks,
}: Props) {
  const { t } = useTranslation("learn");
  const source = playerSource(lesson.video);
  return (
    <div className={lesson.slides ? "lesson-stage" : "lesson-stage single"}>
      {source ? playerChunks?.[source.kind].map((href) => <link key={href} rel="modulepreload" href={href} />) : null}
      {source ? (
        <LessonPlayer
          lessonId={lesson.id}
          viewId={viewId}
          learnerId={learnerId}
          title={lesson.title}
          source={source}
          captions={lesson.captions.map((c) => ({ ...c, src: `/lessons/${lesson.id}/captions/${c.language}.vtt` }))}
          startTime={startTime}
          onTime={onTime}
          onProgress={onProgress}
        />
      ) : (
        <p className="player-placeholder">{t("videoUnavailable")}</p>
      )}
      {lesson.slides?.kind === "html" ? (
        <SlideViewer pages={lesson.slides.pages} cues={cues} currentTime={currentTime} language={lesson.language} />
      ) : lesson.slides?.kind === "pdf" ? (
        <PdfSlides
          url={`/media/${lesson.slides.assetId}`}
          pageCount={lesson.slides.pageCount}
          cues={cues}
          currentTime={currentTime}
          language={lesson.language}
        />
      ) : null}
    </div>
  );
}
