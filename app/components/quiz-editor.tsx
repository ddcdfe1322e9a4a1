import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { DEFAULT_ATTEMPTS_PER_ROUND, DEFAULT_COOLDOWN_MINUTES, type Quiz } from "~/learning/quiz";

// The knowledge-check editor: questions with single or multiple correct
// options and a pass mark. It edits plain state and submits it as JSON in
// one field; the server checks it with the same schema that reads quiz.yaml.

type Option = { id: string; text: string; correct: boolean };
type Question = { id: string; kind: "single" | "multiple"; prompt: string; explanation?: string; options: Option[] };

const OPTION_IDS = "abcdefgh";

function blankQuestion(n: number): Question {
  return {
    id: `q${n}`,
    kind: "single",
    prompt: "",
    options: [
      { id: "a", text: "", correct: true },
      { id: "b", text: "", correct: false },
    ],
  };
}

/** The next free "qN" id: ids must stay unique after questions are removed. */
function nextQuestionId(questions: Question[]) {
  let n = questions.length + 1;
  while (questions.some((q) => q.id === `q${n}`)) n++;
  return n;
}

export function QuizEditor({ initial, name }: { initial: Quiz | null; name: string }) {
  const { t } = useTranslation("teach");
  const base = useId();
  const [passMark, setPassMark] = useState(initial?.passMark ?? 70);
  const [attemptsPerRound, setAttemptsPerRound] = useState(initial?.attemptsPerRound ?? DEFAULT_ATTEMPTS_PER_ROUND);
  const [cooldownMinutes, setCooldownMinutes] = useState(initial?.cooldownMinutes ?? DEFAULT_COOLDOWN_MINUTES);
  // Empty: every question in every attempt.
  const [questionsPerAttempt, setQuestionsPerAttempt] = useState(initial?.questionsPerAttempt?.toString() ?? "");
  const [questions, setQuestions] = useState<Question[]>(
    initial?.questions.map((q) => ({
      ...q,
      options: q.options.map((o) => ({ ...o, correct: o.correct ?? false })),
    })) ?? [blankQuestion(1)],
  );

  const update = (index: number, change: (q: Question) => Question) =>
    setQuestions((all) => all.map((q, i) => (i === index ? change(q) : q)));

  return (
    <div className="quiz-editor stack">
      <input
        type="hidden"
        name={name}
        value={JSON.stringify({
          passMark,
          attemptsPerRound,
          cooldownMinutes,
          ...(questionsPerAttempt.trim() ? { questionsPerAttempt: Number(questionsPerAttempt) } : {}),
          // An empty explanation is no explanation.
          questions: questions.map(({ explanation, ...q }) => (explanation?.trim() ? { ...q, explanation } : q)),
        })}
      />
      <div className="field">
        <label htmlFor={`${base}-pass`}>{t("quiz.passMark")}</label>
        <input
          id={`${base}-pass`}
          type="number"
          min={1}
          max={100}
          value={passMark}
          onChange={(event) => setPassMark(Number(event.target.value))}
        />
      </div>
      <div className="field">
        <label htmlFor={`${base}-attempts`}>{t("quiz.attemptsPerRound")}</label>
        <input
          id={`${base}-attempts`}
          type="number"
          min={1}
          max={20}
          value={attemptsPerRound}
          onChange={(event) => setAttemptsPerRound(Number(event.target.value))}
        />
      </div>
      <div className="field">
        <label htmlFor={`${base}-cooldown`}>{t("quiz.cooldownMinutes")}</label>
        <input
          id={`${base}-cooldown`}
          type="number"
          min={0}
          max={10080}
          value={cooldownMinutes}
          onChange={(event) => setCooldownMinutes(Number(event.target.value))}
        />
      </div>
      <div className="field">
        <label htmlFor={`${base}-draw`}>{t("quiz.questionsPerAttempt")}</label>
        <input
          id={`${base}-draw`}
          type="number"
          min={1}
          max={questions.length}
          aria-describedby={`${base}-draw-hint`}
          value={questionsPerAttempt}
          onChange={(event) => setQuestionsPerAttempt(event.target.value)}
        />
        <p id={`${base}-draw-hint`} className="hint">
          {t("quiz.questionsPerAttemptHint", { count: questions.length })}
        </p>
      </div>
      {questions.map((question, qi) => (
        <fieldset key={question.id} className="question">
          <legend>{t("quiz.question", { n: qi + 1 })}</legend>
          <div className="field">
            <label htmlFor={`${base}-${question.id}-prompt`}>{t("quiz.prompt")}</label>
            <textarea
              id={`${base}-${question.id}-prompt`}
              rows={2}
              value={question.prompt}
              onChange={(event) => update(qi, (q) => ({ ...q, prompt: event.target.value }))}
            />
          </div>
          <div className="field">
            <label htmlFor={`${base}-${question.id}-kind`}>{t("quiz.kind")}</label>
            <select
              id={`${base}-${question.id}-kind`}
              value={question.kind}
              onChange={(event) =>
                update(qi, (q) => {
                  const kind = event.target.value as Question["kind"];
                  // A single-choice question keeps only its first correct option.
                  const first = q.options.findIndex((o) => o.correct);
                  const options =
                    kind === "single"
                      ? q.options.map((o, i) => ({ ...o, correct: i === Math.max(0, first) }))
                      : q.options;
                  return { ...q, kind, options };
                })
              }
            >
              <option value="single">{t("quiz.single")}</option>
              <option value="multiple">{t("quiz.multiple")}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${base}-${question.id}-explanation`}>{t("quiz.explanation")}</label>
            <textarea
              id={`${base}-${question.id}-explanation`}
              rows={2}
              value={question.explanation ?? ""}
              onChange={(event) => update(qi, (q) => ({ ...q, explanation: event.target.value }))}
            />
          </div>
          <ol className="quiz-options">
            {question.options.map((option, oi) => (
              <li key={option.id}>
                <label className="visually-hidden" htmlFor={`${base}-${question.id}-${option.id}`}>
                  {t("quiz.optionText", { n: oi + 1 })}
                </label>
                <input
                  id={`${base}-${question.id}-${option.id}`}
                  value={option.text}
                  onChange={(event) =>
                    update(qi, (q) => ({
                      ...q,
                      options: q.options.map((o, i) => (i === oi ? { ...o, text: event.target.value } : o)),
                    }))
                  }
                />
                <label className="choice inline">
                  <input
                    type={question.kind === "single" ? "radio" : "checkbox"}
                    name={`${base}-${question.id}-correct`}
                    checked={option.correct}
                    onChange={(event) =>
                      update(qi, (q) => ({
                        ...q,
                        options: q.options.map((o, i) =>
                          q.kind === "single"
                            ? { ...o, correct: i === oi }
                            : i === oi
                              ? { ...o, correct: event.target.checked }
                              : o,
                        ),
                      }))
                    }
                  />{" "}
                  {/* Named with its option ("Đáp án 2 đúng"), so each box says which answer it marks. */}
                  <span className="visually-hidden">{t("quiz.optionText", { n: oi + 1 })} </span>
                  {t("quiz.correct")}
                </label>
                <button
                  type="button"
                  className="link-button"
                  disabled={question.options.length <= 2}
                  onClick={() => update(qi, (q) => ({ ...q, options: q.options.filter((_, i) => i !== oi) }))}
                >
                  {t("quiz.removeOption", { n: oi + 1 })}
                </button>
              </li>
            ))}
          </ol>
          <div className="row">
            <button
              type="button"
              className="button small secondary"
              disabled={question.options.length >= OPTION_IDS.length}
              onClick={() =>
                update(qi, (q) => {
                  const id = [...OPTION_IDS].find((letter) => !q.options.some((o) => o.id === letter))!;
                  return { ...q, options: [...q.options, { id, text: "", correct: false }] };
                })
              }
            >
              {t("quiz.addOption")}
            </button>
            <button
              type="button"
              className="button small secondary"
              disabled={questions.length <= 1}
              onClick={() => setQuestions((all) => all.filter((_, i) => i !== qi))}
            >
              {t("quiz.removeQuestion", { n: qi + 1 })}
            </button>
          </div>
        </fieldset>
      ))}
      <div>
        <button
          type="button"
          className="button small secondary"
          onClick={() => setQuestions((all) => [...all, blankQuestion(nextQuestionId(all))])}
        >
          {t("quiz.addQuestion")}
        </button>
      </div>
    </div>
  );
}
