import { useTranslation } from "react-i18next";
import type { QuizProblem } from "~/teach/courses.server";

// Pages with several forms answer each with {intent, notice | error}; the
// message shows beside the form that was sent.
export type ActionFeedback = {
  intent: string;
  errors?: Record<string, string>;
  notice?: string;
  error?: string;
  values?: Record<string, string | number | null>;
  quizProblems?: QuizProblem[];
};

export function Feedback({ data, intent }: { data: ActionFeedback | undefined; intent: string | string[] }) {
  const { t } = useTranslation("teach");
  if (!data || !(Array.isArray(intent) ? intent.includes(data.intent) : data.intent === intent)) return null;
  if (data.error) {
    return (
      <p className="form-error" role="alert">
        {t(data.error, data.values ?? {})}
      </p>
    );
  }
  if (data.notice) {
    return (
      <p className="notice success" role="status">
        {t(data.notice, data.values ?? {})}
      </p>
    );
  }
  return null;
}

/** The field errors of the form that was sent, if it is this one. */
export function errorsFor(data: ActionFeedback | undefined, intent: string): Record<string, string> {
  return data?.intent === intent ? (data.errors ?? {}) : {};
}
