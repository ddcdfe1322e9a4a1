import { Localized } from "~/components/localized-text";
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { errorsFor, Feedback, type ActionFeedback } from "~/components/action-feedback";
import { LANGUAGE_SUGGESTIONS } from "~/components/course-fields";
import { TextField } from "~/components/text-field";
import { formatClock } from "~/utils/format";

export type CourseLessonRow = {
  id: string;
  title: string;
  titleEn: string | null;
  language: string;
  isPreview: boolean;
  durationSeconds: number | null;
  slidesKind: string;
  _count: { captions: number; progress: number };
};

/** The course's lessons in order: move ("move"), delete while nobody has started one ("deleteLesson"), add ("addLesson"). */
export function CourseLessonsSection({
  course,
  data,
  busy,
}: {
  course: { id: string; language: string; lessons: CourseLessonRow[] };
  data: ActionFeedback | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation("teach");
  return (
    <section className="card" aria-labelledby="lessons-heading">
      <h2 id="lessons-heading">{t("lessons.heading")}</h2>
      <Feedback data={data} intent={["move", "deleteLesson"]} />
      {course.lessons.length === 0 ? (
        <p className="empty">{t("lessons.empty")}</p>
      ) : (
        <ol className="teach-lessons">
          {course.lessons.map((lesson, index) => (
            <li key={lesson.id}>
              <div className="teach-lesson-row">
                <span className="lesson-title" lang={lesson.language}>
                  <Link to={`/teach/courses/${course.id}/lessons/${lesson.id}`}>
                    <Localized vi={lesson.title} en={lesson.titleEn} />
                  </Link>
                </span>
                <span className="meta">
                  {lesson.durationSeconds ? formatClock(lesson.durationSeconds) : t("lessons.noVideo")}
                  {" · "}
                  {lesson.slidesKind === "NONE" ? t("lessons.noSlides") : t(`lessons.slides${lesson.slidesKind}`)}
                  {" · "}
                  {t("lessons.captionCount", { count: lesson._count.captions })}
                  {lesson.isPreview ? (
                    <>
                      {" · "}
                      <span className="badge">{t("lessons.preview")}</span>
                    </>
                  ) : null}
                </span>
                <Form method="post" className="lesson-order">
                  <input type="hidden" name="lessonId" value={lesson.id} />
                  <input type="hidden" name="intent" value="move" />
                  <button
                    type="submit"
                    name="direction"
                    value="up"
                    className="icon-button"
                    disabled={busy || index === 0}
                    aria-label={t("lessons.moveUp", { title: lesson.title })}
                  >
                    ↑
                  </button>
                  <button
                    type="submit"
                    name="direction"
                    value="down"
                    className="icon-button"
                    disabled={busy || index === course.lessons.length - 1}
                    aria-label={t("lessons.moveDown", { title: lesson.title })}
                  >
                    ↓
                  </button>
                </Form>
                {lesson._count.progress === 0 ? (
                  <Form
                    method="post"
                    onSubmit={(event) => {
                      if (!window.confirm(t("lessons.confirmDelete", { title: lesson.title }))) event.preventDefault();
                    }}
                  >
                    <input type="hidden" name="lessonId" value={lesson.id} />
                    <button type="submit" name="intent" value="deleteLesson" className="link-button" disabled={busy}>
                      {t("lessons.delete")}
                      <span className="visually-hidden"> {lesson.title}</span>
                    </button>
                  </Form>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      )}
      <h3>{t("lessons.add")}</h3>
      <Feedback data={data} intent="addLesson" />
      {/* A new key after each addition empties the form for the next lesson. */}
      <Form method="post" className="stack" noValidate key={course.lessons.length}>
        <input type="hidden" name="intent" value="addLesson" />
        <TextField name="title" label={t("lesson.title")} error={errorsFor(data, "addLesson").title} required />
        <TextField
          name="language"
          label={t("lesson.language")}
          defaultValue={course.language}
          error={errorsFor(data, "addLesson").language}
          list="lesson-language-tags"
          required
        />
        <datalist id="lesson-language-tags">
          {LANGUAGE_SUGGESTIONS.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("lessons.addButton")}
          </button>
        </div>
      </Form>
    </section>
  );
}
