import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { errorsFor, Feedback, type ActionFeedback } from "~/components/action-feedback";
import { TextField } from "~/components/text-field";

/** The lesson's title, English title, language and slug (intent "details"), and whether it is a free preview (intent "preview"). */
export function LessonDetailsSection({
  lesson,
  data,
  busy,
}: {
  lesson: { title: string; titleEn: string | null; language: string; slug: string; isPreview: boolean };
  data: ActionFeedback | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation("teach");
  const errors = errorsFor(data, "details");
  return (
    <section className="card" aria-labelledby="details-heading">
      <h2 id="details-heading">{t("lesson.detailsHeading")}</h2>
      <Feedback data={data} intent="details" />
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="details" />
        <TextField name="title" label={t("lesson.title")} defaultValue={lesson.title} error={errors.title} required />
        <TextField
          name="titleEn"
          label={t("lesson.titleEn")}
          defaultValue={lesson.titleEn ?? ""}
          error={errors.titleEn}
        />
        <TextField
          name="language"
          label={t("lesson.language")}
          defaultValue={lesson.language}
          error={errors.language}
          required
        />
        <TextField
          name="slug"
          label={t("lesson.slug")}
          hint={t("lesson.slugHint")}
          defaultValue={lesson.slug}
          error={errors.slug}
        />
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("lesson.save")}
          </button>
        </div>
      </Form>
      <h3 id="preview-heading">{t("lesson.previewHeading")}</h3>
      <Feedback data={data} intent="preview" />
      <Form method="post" className="stack" aria-labelledby="preview-heading" key={String(lesson.isPreview)}>
        <input type="hidden" name="intent" value="preview" />
        <label className="checkbox">
          <input type="checkbox" name="isPreview" defaultChecked={lesson.isPreview} /> {t("lesson.previewLabel")}
        </label>
        <p className="hint">{t("lesson.previewHint")}</p>
        <div>
          <button type="submit" className="button secondary" disabled={busy}>
            {t("lesson.previewSave")}
          </button>
        </div>
      </Form>
    </section>
  );
}
