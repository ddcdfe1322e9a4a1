import { useTranslation } from "react-i18next";
import type { PublicQuestion, QuestionReview } from "~/learning/quiz";

// Pieces of the lesson page that trainers' previews show the same way.

/** The knowledge check's questions as answer fields (`answer.<question id>`); disabled in previews. */
export function QuizQuestions({ questions, disabled = false }: { questions: PublicQuestion[]; disabled?: boolean }) {
  const { t } = useTranslation("learn");
  return (
    <>
      {questions.map((question, qi) => (
        <fieldset key={question.id} className="question" disabled={disabled}>
          <legend>
            {qi + 1}. {question.prompt}{" "}
            <span className="hint">({question.kind === "single" ? t("quiz.single") : t("quiz.multiple")})</span>
          </legend>
          {question.options.map((option) => (
            <label key={option.id} className="choice">
              <input
                type={question.kind === "single" ? "radio" : "checkbox"}
                name={`answer.${question.id}`}
                value={option.id}
              />{" "}
              {option.text}
            </label>
          ))}
        </fieldset>
      ))}
    </>
  );
}

/** After a pass or a used-up round: each question, right or wrong, its answer and why. */
export function QuizReview({ review, language }: { review: QuestionReview[]; language: string }) {
  const { t } = useTranslation("learn");
  if (review.length === 0) return null;
  return (
    <section className="quiz-review" aria-labelledby="quiz-review-heading">
      <h3 id="quiz-review-heading">{t("quiz.reviewHeading")}</h3>
      <ol>
        {review.map((item) => (
          <li key={item.id} data-testid={`review-${item.id}`}>
            <p>
              <strong className={item.right ? "badge success" : "badge warning"}>
                {item.right ? t("quiz.right") : t("quiz.wrong")}
              </strong>{" "}
              <span lang={language}>{item.prompt}</span>
            </p>
            <p>{t("quiz.answer", { answer: item.correctOptions.join("; ") })}</p>
            {item.explanation ? (
              <p className="hint" lang={language}>
                {item.explanation}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function Transcript({ paragraphs, language }: { paragraphs: string[]; language: string }) {
  const { t } = useTranslation("learn");
  if (paragraphs.length === 0) return null;
  return (
    <section className="transcript" aria-labelledby="transcript-heading">
      <h2 id="transcript-heading">{t("transcript")}</h2>
      <div lang={language}>
        {paragraphs.map((paragraph, i) => (
          <p key={i}>{paragraph}</p>
        ))}
      </div>
    </section>
  );
}
