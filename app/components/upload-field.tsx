import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { UpChunk } from "@mux/upchunk";
import type { UploadRefusal } from "~/media/refusals";
import type { StartResult, UploadStart, UploadStatus } from "~/media/upload.server";
import { formatClock } from "~/utils/format";
import { ProgressBar } from "./progress-bar";

// A file picker that uploads in chunks with a progress bar (percent and
// time left). Local storage and Mux speak the same chunk protocol, so one
// uploader (Mux's UpChunk) serves both; it retries a failed chunk and waits
// while the browser is offline. When its retries run out, "Resume" asks the
// server how much arrived and sends only the rest.

type Purpose = UploadStart["purpose"];

type Phase =
  | { name: "idle" }
  | { name: "starting" }
  | { name: "sending"; percent: number; secondsLeft: number | null; offline: boolean }
  | { name: "checking" }
  | { name: "processing" } // Mux is making the asset
  | { name: "done" }
  | { name: "interrupted"; percent: number }
  | { name: "refused"; refusal: UploadRefusal }
  | { name: "failed" };

type Props = {
  purpose: Purpose;
  courseId: string;
  lessonId?: string;
  label: string;
  hint?: string;
  accept: string;
  /** Called once the file is stored (local) or handed to Mux. */
  onStored: () => void;
};

const MUX_POLL_MS = 3000;

// The server says how big each request may be (UPLOAD_CHUNK_BYTES, 8 MB by
// default: a 1 GB file is ~130 requests, and a dropped connection costs little).
type Started = StartResult | { ok: false; error: string; refusal?: undefined };

export function UploadField({ purpose, courseId, lessonId, label, hint, accept, onStored }: Props) {
  const { t } = useTranslation("teach");
  const id = useId();
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  const [fileName, setFileName] = useState<string | null>(null);
  const file = useRef<File | null>(null);
  const target = useRef<{ storage: "local" | "mux"; url: string; uploadId: string; chunkKb: number } | null>(null);
  const uploader = useRef<UpChunk | null>(null);
  const poll = useRef<number | null>(null);
  const stored = useRef(onStored);
  useEffect(() => void (stored.current = onStored));

  useEffect(
    () => () => {
      uploader.current?.abort();
      if (poll.current) window.clearTimeout(poll.current);
    },
    [],
  );

  async function begin(picked: File) {
    file.current = picked;
    setFileName(picked.name);
    setPhase({ name: "starting" });
    let started: Started;
    try {
      const response = await fetch("/api/uploads", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ purpose, courseId, lessonId, fileName: picked.name, sizeBytes: picked.size }),
      });
      started = (await response.json()) as Started;
    } catch {
      setPhase({ name: "failed" });
      return;
    }
    if (!started.ok) {
      setPhase(started.refusal ? { name: "refused", refusal: started.refusal } : { name: "failed" });
      return;
    }
    target.current = {
      storage: started.storage,
      url: started.url,
      uploadId: started.uploadId,
      chunkKb: started.chunkBytes / 1024,
    };
    await send(started.storage === "local" ? started.receivedBytes : 0);
  }

  async function send(offset: number) {
    const whole = file.current;
    const to = target.current;
    if (!whole || !to) return;
    const { UpChunk } = await import("@mux/upchunk");
    // A resumed upload sends the rest of the file as a file of its own; the
    // offset tells our server where its byte 0 belongs.
    const part = offset > 0 ? new File([whole.slice(offset)], whole.name, { type: whole.type }) : whole;
    const endpoint = offset > 0 ? `${to.url}${to.url.includes("?") ? "&" : "?"}offset=${offset}` : to.url;
    // eslint-disable-next-line react-hooks/purity -- send runs from the user's pick of a file, never during render
    const startedAt = performance.now();
    const percentOf = (partPercent: number) => ((offset + (partPercent / 100) * part.size) / whole.size) * 100;
    setPhase({ name: "sending", percent: percentOf(0), secondsLeft: null, offline: false });

    const upload = UpChunk.createUpload({
      endpoint,
      file: part,
      chunkSize: to.chunkKb,
      attempts: 5,
      delayBeforeAttempt: 2,
      // Status 0 is a dropped connection: UpChunk gives up on it unless told to retry.
      retryCodes: [0, 408, 502, 503, 504],
    });
    uploader.current = upload;
    let result: { ok: boolean; refusal?: UploadRefusal } | null = null;

    upload.on("progress", (event) => {
      const partPercent = Number(event.detail) || 0;
      if (partPercent >= 100) {
        setPhase({ name: "checking" });
        return;
      }
      const elapsed = (performance.now() - startedAt) / 1000;
      const sent = (partPercent / 100) * part.size;
      const rate = elapsed > 0.5 && sent > 0 ? sent / elapsed : null;
      setPhase((current) => ({
        name: "sending",
        percent: percentOf(partPercent),
        secondsLeft: rate ? (part.size - sent) / rate : null,
        offline: current.name === "sending" && current.offline,
      }));
    });
    upload.on("offline", () =>
      setPhase((current) => (current.name === "sending" ? { ...current, offline: true } : current)),
    );
    upload.on("online", () =>
      setPhase((current) => (current.name === "sending" ? { ...current, offline: false } : current)),
    );
    upload.on("chunkSuccess", (event) => {
      const response = (event.detail as { response?: { statusCode: number; body?: unknown } }).response;
      if (response?.statusCode === 200 && to.storage === "local") result = parseBody(response.body);
    });
    upload.on("success", () => {
      uploader.current = null;
      if (to.storage === "mux") {
        setPhase({ name: "processing" });
        waitForMux(`/api/uploads/${to.uploadId}`);
        return;
      }
      if (result?.ok) {
        setPhase({ name: "done" });
        stored.current();
      } else {
        setPhase(result?.refusal ? { name: "refused", refusal: result.refusal } : { name: "failed" });
      }
    });
    upload.on("error", (event) => {
      uploader.current = null;
      const response = (event.detail as { response?: { statusCode: number; body?: unknown } }).response;
      const body = response ? parseBody(response.body) : null;
      if (body?.refusal) {
        setPhase({ name: "refused", refusal: body.refusal });
        return;
      }
      setPhase({ name: "interrupted", percent: percentOf(upload.successfulPercentage * 100) });
    });
  }

  /** Mux makes the asset after the upload; the server learns of it by webhook. */
  function waitForMux(statusUrl: string) {
    const check = async () => {
      try {
        const response = await fetch(statusUrl);
        if (response.status === 404) {
          setPhase({ name: "done" });
          stored.current();
          return;
        }
        const body = (await response.json()) as Partial<UploadStatus>;
        if (body.status === "REFUSED" && body.refusal) {
          setPhase({ name: "refused", refusal: body.refusal });
          stored.current();
          return;
        }
      } catch {
        // Try again on the next tick.
      }
      poll.current = window.setTimeout(check, MUX_POLL_MS);
    };
    poll.current = window.setTimeout(check, MUX_POLL_MS);
  }

  async function resume() {
    const to = target.current;
    if (!to) return;
    if (to.storage === "mux") {
      if (file.current) await begin(file.current);
      return;
    }
    try {
      const response = await fetch(to.url);
      const body = (await response.json()) as { ok: boolean; receivedBytes?: number };
      if (!body.ok || typeof body.receivedBytes !== "number") throw new Error("unknown upload");
      await send(body.receivedBytes);
    } catch {
      if (file.current) await begin(file.current);
    }
  }

  function cancel() {
    uploader.current?.abort();
    uploader.current = null;
    const to = target.current;
    if (to?.storage === "local") void fetch(to.url, { method: "DELETE" });
    setPhase({ name: "idle" });
  }

  const busy = ["starting", "sending", "checking", "processing"].includes(phase.name);
  return (
    <div className="upload-field">
      <label htmlFor={id} className="upload-label">
        {label}
      </label>
      {hint ? <p className="hint">{hint}</p> : null}
      <input
        id={id}
        type="file"
        accept={accept}
        disabled={busy}
        onChange={(event) => {
          const picked = event.target.files?.[0];
          event.target.value = "";
          if (picked) void begin(picked);
        }}
      />
      {/* The bar is outside the live region: a screen reader hears the stages, not every percent. */}
      {phase.name === "sending" ? (
        <ProgressBar
          value={Math.floor(phase.percent)}
          max={100}
          label={
            phase.secondsLeft !== null
              ? t("upload.progressLeft", {
                  percent: Math.floor(phase.percent),
                  time: formatClock(Math.ceil(phase.secondsLeft)),
                })
              : t("upload.progress", { percent: Math.floor(phase.percent) })
          }
        />
      ) : ["checking", "processing", "done"].includes(phase.name) ? (
        <ProgressBar value={100} max={100} label={t("upload.progress", { percent: 100 })} />
      ) : null}
      <div className="upload-status" role="status" aria-live="polite">
        {phase.name === "starting" ? <p>{t("upload.starting", { file: fileName })}</p> : null}
        {phase.name === "sending" && phase.offline ? <p className="notice warning">{t("upload.offline")}</p> : null}
        {phase.name === "checking" ? (
          <p>{purpose === "LESSON_VIDEO" ? t("upload.checkingVideo") : t("upload.checking")}</p>
        ) : null}
        {phase.name === "processing" ? <p>{t("upload.processing")}</p> : null}
        {phase.name === "done" ? <p className="notice success">{t("upload.done", { file: fileName })}</p> : null}
        {phase.name === "interrupted" ? (
          <p className="notice warning">{t("upload.interrupted", { percent: Math.floor(phase.percent) })}</p>
        ) : null}
        {phase.name === "failed" ? <p className="form-error">{t("upload.failed")}</p> : null}
      </div>
      {phase.name === "refused" ? (
        <p className="form-error" role="alert" data-testid="upload-refused">
          {t(`refusal.${phase.refusal.code}`, { ...phase.refusal.values, file: fileName })}
        </p>
      ) : null}
      <div className="upload-actions">
        {phase.name === "interrupted" ? (
          <button type="button" className="button small" onClick={() => void resume()}>
            {t("upload.resume")}
          </button>
        ) : null}
        {phase.name === "sending" || phase.name === "interrupted" ? (
          <button type="button" className="button small secondary" onClick={cancel}>
            {t("upload.cancel")}
          </button>
        ) : null}
      </div>
    </div>
  );
}

function parseBody(body: unknown): { ok: boolean; refusal?: UploadRefusal } | null {
  if (typeof body !== "string" || body === "") return null;
  try {
    return JSON.parse(body) as { ok: boolean; refusal?: UploadRefusal };
  } catch {
    return null;
  }
}
