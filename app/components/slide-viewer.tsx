import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { slideAt } from "~/catalog/slide-cues";

type DeckProps = {
  total: number;
  cues: number[];
  currentTime: number;
  language: string;
  /** Draws slide `index` (0-based): sanitised HTML, or a rendered PDF page. */
  children: (index: number) => ReactNode;
};

/** A Markdown deck: one sanitised HTML page per slide. */
export function SlideViewer({ pages, ...rest }: { pages: string[] } & Omit<DeckProps, "total" | "children">) {
  return (
    <SlideDeck total={pages.length} {...rest}>
      {(index) => <div dangerouslySetInnerHTML={{ __html: pages[index] ?? "" }} />}
    </SlideDeck>
  );
}

/**
 * Slides beside the video. With cue times they follow the playhead; paging by
 * hand (buttons, or ←/→ while the deck has focus) stops following, and the
 * panel says so. "Follow the video" (a toggle button, or F while the slide
 * panel has focus) goes back to the video's slide and follows again. F works only
 * inside the panel: a page-wide one-letter shortcut would fire while typing
 * elsewhere (WCAG 2.1.4), and the player keeps F for full screen.
 */
export function SlideDeck({ total, cues, currentTime, language, children }: DeckProps) {
  const { t } = useTranslation("learn");
  const [index, setIndex] = useState(0);
  const [follow, setFollow] = useState(cues.length > 0);
  // A deck that gains cue times (a trainer recording them) starts following.
  const hasCues = cues.length > 0;
  useEffect(() => {
    if (hasCues) setFollow(true);
  }, [hasCues]);
  const cued = follow ? slideAt(cues, currentTime) : null;
  const shown = cued ?? index;
  const last = total - 1;
  const deck = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (cued !== null) setIndex(cued);
  }, [cued]);

  // A new slide starts at its top, not where the last one was scrolled to.
  useEffect(() => {
    deck.current?.scrollTo?.({ top: 0 });
  }, [shown]);

  function go(to: number) {
    setFollow(false);
    setIndex(Math.max(0, Math.min(last, to)));
  }

  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- F is heard only while focus is inside the panel (WCAG 2.1.4), so it listens here
    <section
      className="slides"
      aria-labelledby="slides-heading"
      onKeyDown={(event) => {
        if (!hasCues || event.ctrlKey || event.metaKey || event.altKey) return;
        if (event.key === "f" || event.key === "F") {
          event.preventDefault();
          setFollow(true);
        }
      }}
    >
      <h2 id="slides-heading" className="visually-hidden">
        {t("slides")}
      </h2>
      {hasCues ? (
        <div className={follow ? "follow-bar following" : "follow-bar paged"}>
          <p role="status" className="follow-state">
            {follow ? t("following") : t("pagedByHand")}
          </p>
          <button
            type="button"
            className="follow-button"
            aria-pressed={follow}
            aria-keyshortcuts="F"
            onClick={() => setFollow(!follow)}
          >
            {t("followVideo")} <kbd aria-hidden="true">F</kbd>
          </button>
        </div>
      ) : null}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- the deck takes ←/→ while focused, as a carousel slide group does */}
      <div
        ref={deck}
        className="slide"
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- focusable so the keys above reach it and a long slide scrolls with ↑/↓
        tabIndex={0}
        role="group"
        aria-roledescription={t("slide")}
        aria-label={t("slideOf", { n: shown + 1, total })}
        lang={language}
        onKeyDown={(event) => {
          if (event.key === "ArrowRight" || event.key === "PageDown") {
            event.preventDefault();
            go(shown + 1);
          } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
            event.preventDefault();
            go(shown - 1);
          } else if (event.key === "Home") {
            event.preventDefault();
            go(0);
          } else if (event.key === "End") {
            event.preventDefault();
            go(last);
          }
        }}
      >
        {children(shown)}
      </div>
      <div className="slide-controls">
        <button type="button" onClick={() => go(shown - 1)} disabled={shown === 0}>
          ← {t("previousSlide")}
        </button>
        <span aria-live="polite" className="slide-count">
          {t("slideOf", { n: shown + 1, total })}
        </span>
        <button type="button" onClick={() => go(shown + 1)} disabled={shown === last}>
          {t("nextSlide")} →
        </button>
      </div>
    </section>
  );
}
