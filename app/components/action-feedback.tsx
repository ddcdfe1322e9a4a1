import { useTranslation } from "react-i18next";
import { errorsOf, type ActionResult, type Notice } from "~/utils/forms";

// Pages with several forms answer each with an ActionResult named by its
// intent; the notice or refusal shows beside the form that was sent.
export type ActionFeedback = ActionResult<Notice>;

export function Feedback({ data, intent }: { data: ActionFeedback | undefined; intent: string | string[] }) {
  const { t } = useTranslation("teach");
  if (!data?.intent || !(Array.isArray(intent) ? intent.includes(data.intent) : data.intent === intent)) return null;
  if (data.status === "invalid") {
    return data.formError ? (
      <p className="form-error" role="alert">
        {t(data.formError.key, data.formError.values ?? {})}
      </p>
    ) : null;
  }
  return (
    <p className="notice success" role="status">
      {t(data.data.notice, data.data.values ?? {})}
    </p>
  );
}

/** The field errors of the form that was sent, if it is this one. */
export function errorsFor(data: ActionFeedback | undefined, intent: string): Record<string, string> {
  return data?.intent === intent ? errorsOf(data) : {};
}
