import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatCue } from "~/teach/cue-times";

/** The slide change times; they are recorded on the preview page, beside the playing video. */
export function LessonCuesSection({
  courseId,
  lessonId,
  cues,
}: {
  courseId: string;
  lessonId: string;
  cues: number[];
}) {
  const { t } = useTranslation("teach");
  return (
    <section className="card" aria-labelledby="cues-heading">
      <h2 id="cues-heading">{t("cues.heading")}</h2>
      <p data-testid="current-cues">
        {cues.length > 0 ? t("cues.current", { cues: cues.map(formatCue).join(", ") }) : t("cues.none")}
      </p>
      <p className="hint">{t("cues.hint")}</p>
      <Link className="button secondary" to={`/teach/courses/${courseId}/preview/${lessonId}#cue-recorder`}>
        {t("cues.record")}
      </Link>
    </section>
  );
}
