import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Feedback, type ActionFeedback } from "~/components/action-feedback";
import { QuizEditor } from "~/components/quiz-editor";
import type { Quiz } from "~/learning/quiz";

/** The lesson's knowledge check: the editor ("quiz"), its problems if refused, and removing it ("removeQuiz"). */
export function LessonQuizSection({
  quiz,
  data,
  busy,
}: {
  quiz: Quiz | null;
  data: ActionFeedback | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation("teach");
  return (
    <section className="card" aria-labelledby="quiz-heading">
      <h2 id="quiz-heading">{t("quiz.heading")}</h2>
      <p className="hint">{t("quiz.hint")}</p>
      <Feedback data={data} intent="quiz" />
      {data?.intent === "quiz" && data.status === "invalid" && data.problems ? (
        <ul className="form-error">
          {data.problems.map((problem, index) => (
            <li key={index}>{t(problem.key, problem.values)}</li>
          ))}
        </ul>
      ) : null}
      <Feedback data={data} intent="removeQuiz" />
      {/* A saved quiz is a new form: the editor starts again from what was stored. */}
      <Form method="post" className="stack" key={quiz ? JSON.stringify(quiz) : "none"}>
        <input type="hidden" name="intent" value="quiz" />
        <QuizEditor initial={quiz} name="quiz" />
        <div className="row">
          <button type="submit" className="button" disabled={busy}>
            {t("quiz.save")}
          </button>
        </div>
      </Form>
      {quiz ? (
        <Form method="post">
          <button type="submit" name="intent" value="removeQuiz" className="link-button" disabled={busy}>
            {t("quiz.remove")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
