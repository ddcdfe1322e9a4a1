import type { PDFDocumentProxy } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { SlideDeck } from "./slide-viewer";

// PDF decks are drawn page by page with pdf.js, loaded only when a lesson
// has a PDF (its chunk and worker are ~1.5 MB). The page's text is also put
// in the DOM, hidden, so screen readers read the slide.

const documents = new Map<string, Promise<PDFDocumentProxy>>();

function loadDocument(url: string): Promise<PDFDocumentProxy> {
  let pending = documents.get(url);
  if (!pending) {
    pending = import("pdfjs-dist").then((pdfjs) => {
      pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
      return pdfjs.getDocument({ url, isEvalSupported: false }).promise;
    });
    documents.set(url, pending);
    pending.catch(() => documents.delete(url));
  }
  return pending;
}

type Props = { url: string; pageCount: number; cues: number[]; currentTime: number; language: string };

export function PdfSlides({ url, pageCount, ...rest }: Props) {
  return (
    <SlideDeck total={pageCount} {...rest}>
      {(index) => <PdfPage url={url} page={index + 1} />}
    </SlideDeck>
  );
}

function PdfPage({ url, page }: { url: string; page: number }) {
  const { t } = useTranslation("learn");
  const canvas = useRef<HTMLCanvasElement>(null);
  const [text, setText] = useState("");
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");

  useEffect(() => {
    let cancelled = false;
    let render: { cancel: () => void } | null = null;
    setState("loading");
    (async () => {
      const doc = await loadDocument(url);
      const pdfPage = await doc.getPage(page);
      const target = canvas.current;
      if (cancelled || !target) return;
      const width = target.parentElement?.clientWidth || 640;
      const base = pdfPage.getViewport({ scale: 1 });
      const ratio = window.devicePixelRatio || 1;
      const viewport = pdfPage.getViewport({ scale: (width / base.width) * ratio });
      target.width = Math.floor(viewport.width);
      target.height = Math.floor(viewport.height);
      const context = target.getContext("2d");
      if (!context) return;
      const task = pdfPage.render({ canvasContext: context, viewport });
      render = task;
      await task.promise;
      const content = await pdfPage.getTextContent();
      if (cancelled) return;
      setText(
        content.items
          .map((item) => ("str" in item ? item.str : ""))
          .join(" ")
          .replace(/\s+/g, " ")
          .trim(),
      );
      setState("ready");
    })().catch((error: unknown) => {
      if (cancelled || (error as { name?: string })?.name === "RenderingCancelledException") return;
      console.error(error);
      setState("failed");
    });
    return () => {
      cancelled = true;
      render?.cancel();
    };
  }, [url, page]);

  return (
    <div className="pdf-page" data-page={page} data-state={state}>
      <canvas ref={canvas} aria-hidden="true" />
      {state === "failed" ? <p className="hint">{t("slidesFailed")}</p> : null}
      <p className="visually-hidden">{text}</p>
    </div>
  );
}
