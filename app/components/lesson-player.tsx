import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
// zod's tree-shakable build: the lesson page's scripts are on a slow link (decision 108).
import * as z from "zod/mini";
import { ProgressReporter, type ProgressAck, type UnsentStore } from "~/learning/progress-reporter";
import { MAX_PLAYBACK_RATE, PLAYBACK_RATES } from "~/learning/watch-credit";
import { WatchTracker } from "~/learning/watch-tracker";
import { loadPlayer, playerBuildFor } from "./player/load-player";
import type { PlayerKind } from "./player/player-kind";

// Mux Player loads in its own chunk, not in the page's scripts (the lesson page
// preloads it; docs/decisions/150 and 170): ~190 KB Brotli with hls.js for Mux's
// streams, ~95 KB without it for videos stored here (media-chrome's 53 KB included).
const players = {
  local: lazy(() => loadPlayer("local")),
  mux: lazy(() => loadPlayer("mux")),
} satisfies Record<PlayerKind, unknown>;

export type PlayerSource = { kind: "local"; src: string } | { kind: "mux"; playbackId: string };

/** Mux assets play by playback id; local ones from the media route. */
export function playerSource(
  video: { id: string; storage: "LOCAL" | "MUX"; status: string; muxPlaybackId: string | null } | null,
): PlayerSource | null {
  if (!video || video.status !== "READY") return null;
  if (video.storage === "MUX") return video.muxPlaybackId ? { kind: "mux", playbackId: video.muxPlaybackId } : null;
  return { kind: "local", src: `/media/${video.id}` };
}

type Props = {
  lessonId: string;
  /** Whose unsent ranges this browser keeps (so another account on it never sends them). */
  learnerId: string | null;
  /** The server's view of this page; null in trainers' previews: watching a draft is not learning. */
  viewId: string | null;
  title: string;
  source: PlayerSource;
  captions: { language: string; label: string; src: string }[];
  startTime: number;
  onTime: (seconds: number) => void;
  onProgress: (result: ProgressAck) => void;
};

const REPORT_EVERY_MS = 10_000;

// zod 4's numbers are finite already.
const StoredRanges = z
  .array(z.tuple([z.number().check(z.minimum(0)), z.number().check(z.minimum(0))]))
  .check(z.maxLength(100));

/** Ranges waiting for the server, kept in this browser across reloads. */
function browserStore(key: string): UnsentStore {
  return {
    load() {
      try {
        const parsed = StoredRanges.safeParse(JSON.parse(localStorage.getItem(key) ?? "[]"));
        return parsed.success ? parsed.data : [];
      } catch {
        return [];
      }
    },
    save(intervals) {
      try {
        if (intervals.length > 0) localStorage.setItem(key, JSON.stringify(intervals.slice(-100)));
        else localStorage.removeItem(key);
      } catch {
        // Storage full or blocked: the ranges still go with the next report from this page.
      }
    },
  };
}

export function LessonPlayer(props: Props) {
  const { t } = useTranslation("learn");
  // The build already on this page plays it, unless that build has no hls.js and this is a
  // Mux stream: the elements cannot be defined twice, so the page is loaded afresh.
  const build = typeof document === "undefined" ? props.source.kind : playerBuildFor(props.source.kind);
  // Asked for while the page hydrates, not once it has: the chunk then runs as soon as it
  // arrives and the player asks for the video sooner. Idempotent: one module, one promise.
  if (typeof document !== "undefined" && build !== "reload") void loadPlayer(build);
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  useEffect(() => {
    if (build === "reload") window.location.reload();
  }, [build]);
  const fallback = (
    <div className="player-placeholder" role="status">
      {t("loadingPlayer")}
    </div>
  );
  return (
    <div className="player">
      {mounted && build !== "reload" ? (
        <Suspense fallback={fallback}>
          <Player {...props} MuxPlayer={players[build]} />
        </Suspense>
      ) : (
        fallback
      )}
    </div>
  );
}

function Player({
  lessonId,
  learnerId,
  viewId,
  title,
  source,
  captions,
  startTime,
  onTime,
  onProgress,
  MuxPlayer,
}: Props & { MuxPlayer: (typeof players)[PlayerKind] }) {
  const tracker = useRef(new WatchTracker());
  const position = useRef(startTime);
  const callbacks = useRef({ onTime, onProgress });
  useEffect(() => void (callbacks.current = { onTime, onProgress }));
  const reportRef = useRef<() => Promise<void>>(async () => {});

  useEffect(() => {
    if (!viewId) return;
    const watched = tracker.current;
    const json = (response: Response) => response.json().catch(() => null);
    const reporter = new ProgressReporter(
      tracker.current,
      viewId,
      {
        async send(view, intervals) {
          const response = await fetch("/api/progress", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ viewId: view, lessonId, intervals, position: position.current }),
            keepalive: true,
          });
          return { status: response.status, body: await json(response) };
        },
        async startView() {
          const response = await fetch("/api/views", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ lessonId }),
          });
          const body = (await json(response)) as { viewId?: string } | null;
          return response.ok && body?.viewId ? body.viewId : null;
        },
      },
      (ack) => callbacks.current.onProgress(ack),
      undefined,
      learnerId ? browserStore(`taphuan.unsent.${learnerId}.${lessonId}`) : undefined,
    );
    function reportOnHide() {
      if (document.visibilityState !== "hidden") return;
      tracker.current.close();
      void reporter.report(true);
    }
    const timer = window.setInterval(() => void reporter.report(), REPORT_EVERY_MS);
    document.addEventListener("visibilitychange", reportOnHide);
    reportRef.current = () => reporter.report();
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", reportOnHide);
      watched.close();
      void reporter.report(true);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new view id from a reloaded page changes nothing: any live view of this lesson reports
  }, [lessonId, learnerId, viewId !== null]);

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
      // The server credits at most MAX_PLAYBACK_RATE × its own clock, so the
      // player offers no faster rate (and takes back one set from outside).
      playbackRates={[...PLAYBACK_RATES]}
      onRateChange={(event) => {
        const el = media(event);
        if (el.playbackRate > MAX_PLAYBACK_RATE) el.playbackRate = MAX_PLAYBACK_RATE;
      }}
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
        <track
          key={track.language}
          kind="captions"
          srcLang={track.language}
          label={track.label}
          src={track.src}
          default={index === 0}
        />
      ))}
    </MuxPlayer>
  );
}
