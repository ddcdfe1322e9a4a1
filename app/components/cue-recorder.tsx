import { Form } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { formatCue, parseClock } from "~/teach/cue-times";

// Recording when each slide starts: the trainer plays the video and presses
// "next slide here" as the talk moves on; any time can also be typed. The
// times are kept as typed text until saved, so a half-typed "1:2" is not
// silently turned into something else.

type Props = {
  slideCount: number;
  draft: string[];
  onDraft: (draft: string[]) => void;
  currentTime: number;
  busy: boolean;
  problem: string | null;
};

export function parseDraft(draft: string[]): number[] {
  return draft.map((value) => parseClock(value)).filter((value): value is number => value !== null);
}

export function CueRecorder({ slideCount, draft, onDraft, currentTime, busy, problem }: Props) {
  const { t } = useTranslation("teach");
  const base = useId();
  const times = parseDraft(draft);
  const lastTime = times[times.length - 1] ?? 0;
  const canMark = draft.length < slideCount && currentTime > lastTime;

  return (
    <section className="card cue-recorder" id="cue-recorder" aria-labelledby={`${base}-heading`}>
      <h2 id={`${base}-heading`}>{t("cues.heading")}</h2>
      <p className="hint">{t("cues.recorderHint", { count: slideCount })}</p>
      <div className="row">
        <button
          type="button"
          className="button"
          disabled={!canMark}
          onClick={() => onDraft([...draft, formatCue(Math.round(currentTime * 10) / 10)])}
        >
          {t("cues.nextSlideHere", { n: Math.min(draft.length + 1, slideCount) })}
        </button>
        <span className="meta" aria-live="off">
          {t("cues.playhead", { time: formatCue(currentTime) })}
        </span>
        <button type="button" className="button secondary small" onClick={() => onDraft(["0:00"])}>
          {t("cues.startOver")}
        </button>
      </div>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="cues" />
        <table className="table cue-table">
          <caption className="visually-hidden">{t("cues.tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("cues.slide")}</th>
              <th scope="col">{t("cues.startsAt")}</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: slideCount }, (_, index) => (
              <tr key={index}>
                <th scope="row">{index + 1}</th>
                <td>
                  <label className="visually-hidden" htmlFor={`${base}-cue-${index}`}>
                    {t("cues.startOf", { n: index + 1 })}
                  </label>
                  <input
                    id={`${base}-cue-${index}`}
                    name="cue"
                    inputMode="decimal"
                    placeholder="m:ss"
                    value={draft[index] ?? ""}
                    readOnly={index === 0}
                    aria-invalid={
                      draft[index] !== undefined && draft[index] !== "" && parseClock(draft[index]!) === null
                        ? true
                        : undefined
                    }
                    onChange={(event) => {
                      const next = [...draft];
                      while (next.length <= index) next.push("");
                      next[index] = event.target.value;
                      while (next.length > 1 && next[next.length - 1] === "") next.pop();
                      onDraft(next);
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {problem ? (
          <p className="form-error" role="alert">
            {problem}
          </p>
        ) : null}
        <div className="row">
          <button type="submit" className="button" disabled={busy}>
            {t("cues.save")}
          </button>
          <button type="submit" name="clear" value="1" className="button secondary" disabled={busy}>
            {t("cues.clear")}
          </button>
        </div>
      </Form>
    </section>
  );
}
