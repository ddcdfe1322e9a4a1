import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { errorsFor, Feedback, type ActionFeedback } from "~/components/action-feedback";
import { LANGUAGE_SUGGESTIONS } from "~/components/course-fields";
import { TextField } from "~/components/text-field";
import { languageName } from "~/utils/format";

/** The lesson's caption files: the list with delete buttons ("deleteCaption") and the upload form ("caption"). */
export function LessonCaptionsSection({
  lesson,
  data,
  busy,
}: {
  lesson: { language: string; captions: { language: string; label: string }[] };
  data: ActionFeedback | undefined;
  busy: boolean;
}) {
  const { t, i18n } = useTranslation("teach");
  return (
    <section className="card" aria-labelledby="captions-heading">
      <h2 id="captions-heading">{t("captions.heading")}</h2>
      <Feedback data={data} intent="caption" />
      <Feedback data={data} intent="deleteCaption" />
      {lesson.captions.length === 0 ? (
        <p className="empty">{t("captions.none")}</p>
      ) : (
        <ul data-testid="caption-list">
          {lesson.captions.map((caption) => (
            <li key={caption.language}>
              {caption.label} ({languageName(caption.language, i18n.language)}, <code>{caption.language}</code>){" "}
              <Form method="post" className="inline-form">
                <input type="hidden" name="language" value={caption.language} />
                <button type="submit" name="intent" value="deleteCaption" className="link-button" disabled={busy}>
                  {t("captions.delete")}
                  <span className="visually-hidden"> {caption.label}</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <Form method="post" encType="multipart/form-data" className="stack" noValidate>
        <input type="hidden" name="intent" value="caption" />
        <div className="row">
          <TextField
            name="language"
            label={t("captions.language")}
            defaultValue={lesson.language}
            error={errorsFor(data, "caption").language}
            list="caption-language-tags"
            required
          />
          <TextField
            name="label"
            label={t("captions.label")}
            defaultValue={languageName(lesson.language, lesson.language)}
            error={errorsFor(data, "caption").label}
            required
          />
        </div>
        <datalist id="caption-language-tags">
          {LANGUAGE_SUGGESTIONS.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
        <TextField
          name="file"
          type="file"
          label={t("captions.file")}
          hint={t("captions.fileHint")}
          accept=".vtt,text/vtt"
          error={errorsFor(data, "caption").file}
        />
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("captions.upload")}
          </button>
        </div>
      </Form>
    </section>
  );
}
