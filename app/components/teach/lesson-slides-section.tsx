import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Feedback, type ActionFeedback } from "~/components/action-feedback";
import { TextAreaField } from "~/components/fields";
import { UploadField } from "~/components/upload-field";

export type LessonSlides = {
  id: string;
  language: string;
  slidesKind: string;
  slideCount: number;
  slidesMarkdown: string | null;
  slidesAsset: { originalName: string | null } | null;
};

/** The lesson's slides: a PDF upload, or a Markdown deck (intent "markdown"), and removing them ("removeSlides"). */
export function LessonSlidesSection({
  courseId,
  lesson,
  data,
  busy,
  onStored,
}: {
  courseId: string;
  lesson: LessonSlides;
  data: ActionFeedback | undefined;
  busy: boolean;
  onStored: () => void;
}) {
  const { t } = useTranslation("teach");
  return (
    <section className="card" aria-labelledby="slides-heading">
      <h2 id="slides-heading">{t("slides.heading")}</h2>
      <Feedback data={data} intent="markdown" />
      <Feedback data={data} intent="removeSlides" />
      <p data-testid="current-slides">
        {lesson.slidesKind === "PDF"
          ? t("slides.currentPdf", { count: lesson.slideCount, file: lesson.slidesAsset?.originalName ?? "" })
          : lesson.slidesKind === "MARKDOWN"
            ? t("slides.currentMarkdown", { count: lesson.slideCount })
            : t("slides.none")}
      </p>
      <UploadField
        purpose="LESSON_SLIDES"
        courseId={courseId}
        lessonId={lesson.id}
        label={t("slides.pickPdf")}
        hint={t("slides.pdfHint")}
        accept="application/pdf,.pdf"
        onStored={onStored}
      />
      <details className="markdown-deck" open={lesson.slidesKind === "MARKDOWN"}>
        <summary>{t("slides.markdownSummary")}</summary>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="markdown" />
          <TextAreaField
            name="markdown"
            label={t("slides.markdown")}
            hint={t("slides.markdownHint")}
            defaultValue={lesson.slidesMarkdown ?? ""}
            rows={10}
            lang={lesson.language}
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("slides.saveMarkdown")}
            </button>
          </div>
        </Form>
      </details>
      {lesson.slidesKind !== "NONE" ? (
        <Form method="post">
          <button type="submit" name="intent" value="removeSlides" className="link-button" disabled={busy}>
            {t("slides.remove")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
