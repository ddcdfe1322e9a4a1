import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { errorsFor, Feedback, type ActionFeedback } from "~/components/action-feedback";
import { TextField } from "~/components/text-field";

/** The lesson's title, English title, language and slug (intent "details"). */
export function LessonDetailsSection({
  lesson,
  data,
  busy,
}: {
  lesson: { title: string; titleEn: string | null; language: string; slug: string };
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
        <TextField name="titleEn" label={t("lesson.titleEn")} defaultValue={lesson.titleEn ?? ""} error={errors.titleEn} />
        <TextField name="language" label={t("lesson.language")} defaultValue={lesson.language} error={errors.language} required />
        <TextField name="slug" label={t("lesson.slug")} hint={t("lesson.slugHint")} defaultValue={lesson.slug} error={errors.slug} />
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("lesson.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}
