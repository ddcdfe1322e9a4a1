import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Feedback, type ActionFeedback } from "~/components/action-feedback";
import { TextAreaField } from "~/components/fields";

/** The lesson's transcript (intent "transcript"). */
export function LessonTranscriptSection({
  lesson,
  data,
  busy,
}: {
  lesson: { language: string; transcript: string | null };
  data: ActionFeedback | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation("teach");
  return (
    <section className="card" aria-labelledby="transcript-heading">
      <h2 id="transcript-heading">{t("transcript.heading")}</h2>
      <Feedback data={data} intent="transcript" />
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="transcript" />
        <TextAreaField
          name="transcript"
          label={t("transcript.label")}
          hint={t("transcript.hint")}
          defaultValue={lesson.transcript ?? ""}
          rows={8}
          lang={lesson.language}
        />
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("transcript.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}
