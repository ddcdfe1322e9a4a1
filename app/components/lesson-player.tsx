import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Interval } from "~/learning/intervals";
import { WatchTracker } from "~/learning/watch-tracker";

// Mux Player is ~330 KB gzip: it loads in its own chunk after the page is up.
const MuxPlayer = lazy(() => import("@mux/mux-player-react"));

export type PlayerSource = { kind: "local"; src: string } | { kind: "mux"; playbackId: string };

/** Mux assets play by playback id; local ones from the media route. */
export function playerSource(
  video: { id: string; storage: "LOCAL" | "MUX"; status: string; muxPlaybackId: string | null } | null,
): PlayerSource | null {
  if (!video || video.status !== "READY") return null;
  if (video.storage === "MUX") return video.muxPlaybackId ? { kind: "mux", playbackId: video.muxPlaybackId } : null;
  return { kind: "local", src: `/media/${video.id}` };
}

type ProgressResponse = { ok: boolean; watchedPercent?: number; completed?: boolean; courseCompleted?: boolean };

type Props = {
  lessonId: string;
  title: string;
  source: PlayerSource;
  captions: { language: string; label: string; src: string }[];
  startTime: number;
  onTime: (seconds: number) => void;
  onProgress: (result: ProgressResponse) => void;
  /** Off in trainers' previews: watching a draft is not learning. */
  reportProgress?: boolean;
};

const REPORT_EVERY_MS = 10_000;

export function LessonPlayer(props: Props) {
  const { t } = useTranslation("learn");
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const fallback = (
    <div className="player-placeholder" role="status">
      {t("loadingPlayer")}
    </div>
  );
  return <div className="player">{mounted ? <Suspense fallback={fallback}><Player {...props} /></Suspense> : fallback}</div>;
}

function Player({ lessonId, title, source, captions, startTime, onTime, onProgress, reportProgress = true }: Props) {
  const tracker = useRef(new WatchTracker());
  const position = useRef(startTime);
  const callbacks = useRef({ onTime, onProgress });
  callbacks.current = { onTime, onProgress };
  const reportRef = useRef<() => Promise<void>>(async () => {});

  useEffect(() => {
    if (!reportProgress) return;
    const body = (intervals: Interval[]) => JSON.stringify({ lessonId, intervals, position: position.current });
    async function report() {
      const intervals = tracker.current.take();
      if (intervals.length === 0) return;
      try {
        const response = await fetch("/api/progress", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: body(intervals),
          keepalive: true,
        });
        if (!response.ok) throw new Error(String(response.status));
        callbacks.current.onProgress((await response.json()) as ProgressResponse);
      } catch {
        tracker.current.restore(intervals); // sent again with the next report
      }
    }
    function reportOnHide() {
      if (document.visibilityState !== "hidden") return;
      tracker.current.close();
      const intervals = tracker.current.take();
      if (intervals.length === 0) return;
      navigator.sendBeacon("/api/progress", new Blob([body(intervals)], { type: "application/json" }));
    }
    const timer = window.setInterval(report, REPORT_EVERY_MS);
    document.addEventListener("visibilitychange", reportOnHide);
    reportRef.current = report;
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", reportOnHide);
      tracker.current.close();
      void report();
    };
  }, [lessonId, reportProgress]);

  const media = (event: { target: EventTarget | null }) => event.target as HTMLMediaElement;
  return (
    <MuxPlayer
      {...(source.kind === "mux" ? { playbackId: source.playbackId } : { src: source.src })}
      disableTracking
      disableCookies
      streamType="on-demand"
      title={title}
      metadata={{ video_title: title }}
      startTime={startTime > 0 ? startTime : undefined}
      accentColor="#0b4f8a"
      defaultHiddenCaptions={false}
      onTimeUpdate={(event) => {
        const el = media(event);
        position.current = el.currentTime;
        if (!el.paused) tracker.current.tick(el.currentTime, el.playbackRate);
        callbacks.current.onTime(el.currentTime);
      }}
      onSeeking={() => tracker.current.close()}
      onPause={() => {
        tracker.current.close();
        void reportRef.current();
      }}
      onEnded={() => {
        tracker.current.close();
        void reportRef.current();
      }}
    >
      {captions.map((track, index) => (
        <track key={track.language} kind="captions" srcLang={track.language} label={track.label} src={track.src} default={index === 0} />
      ))}
    </MuxPlayer>
  );
}
