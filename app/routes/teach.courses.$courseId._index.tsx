import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { errorsFor, Feedback, type ActionFeedback } from "~/components/action-feedback";
import { z } from "zod";
import { CourseFields, LANGUAGE_SUGGESTIONS } from "~/components/course-fields";
import { PublishIssues } from "~/components/publish-issues";
import { TextField } from "~/components/text-field";
import { UploadField } from "~/components/upload-field";
import { localized } from "~/i18n";
import {
  addLesson,
  deleteLesson,
  findLesson,
  getCourseForAuthor,
  listConventions,
  moveLesson,
  updateCourse,
} from "~/teach/courses.server";
import { CourseFormSchema, LessonFormSchema } from "~/teach/forms";
import { addCoOwner, listOwners, removeCoOwner, requireCourseEditor } from "~/teach/ownership.server";
import { checkCourse, publishCourse, unpublishCourse } from "~/teach/publish.server";
import { fieldErrors } from "~/utils/forms";
import { formatClock, formatDate } from "~/utils/format";
import { readForm } from "~/utils/read-form.server";
import { Id, notFound, parseParams } from "~/utils/route.server";
import { metaTitles } from "~/utils/meta";

const Params = z.object({ courseId: Id });

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const titles = metaTitles(matches);
  return [{ title: data ? `${data.course.title} · ${titles.teach}` : titles.site }];
};
export const handle = { i18n: ["teach"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { courseId } = parseParams(params, Params);
  const user = await requireCourseEditor(request, courseId);
  const [course, issues, owners, conventions] = await Promise.all([
    getCourseForAuthor(courseId),
    checkCourse(courseId),
    listOwners(courseId),
    listConventions(),
  ]);
  return { course, issues, owners, conventions, canManageOwners: user.role === "ADMIN" };
}

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("details") }).passthrough(),
  z.object({ intent: z.literal("addLesson") }).passthrough(),
  z.object({ intent: z.literal("move"), lessonId: Id, direction: z.enum(["up", "down"]) }),
  z.object({ intent: z.literal("deleteLesson"), lessonId: Id }),
  z.object({ intent: z.literal("publish") }),
  z.object({ intent: z.literal("unpublish") }),
  z.object({ intent: z.literal("addOwner"), email: z.string().trim().max(254) }),
  z.object({ intent: z.literal("removeOwner"), userId: Id }),
]);


export async function action({ request, params }: ActionFunctionArgs): Promise<ActionFeedback> {
  const { courseId } = parseParams(params, Params);
  const user = await requireCourseEditor(request, courseId);
  const form = Object.fromEntries(await readForm(request));
  const parsed = Intent.safeParse(form);
  if (!parsed.success) return { intent: "unknown", error: "errors.invalidForm" };
  const input = parsed.data;
  switch (input.intent) {
    case "details": {
      const details = CourseFormSchema.safeParse(form);
      if (!details.success) return { intent: input.intent, errors: fieldErrors(details.error) };
      await updateCourse(courseId, details.data);
      return { intent: input.intent, notice: "course.saved" };
    }
    case "addLesson": {
      const lesson = LessonFormSchema.safeParse(form);
      if (!lesson.success) return { intent: input.intent, errors: fieldErrors(lesson.error) };
      const added = await addLesson(courseId, lesson.data);
      if (!added.ok) return { intent: input.intent, errors: { [added.field]: added.error } };
      return { intent: input.intent, notice: "lessons.added" };
    }
    case "move":
      if (!(await findLesson(courseId, input.lessonId))) throw notFound();
      await moveLesson(courseId, input.lessonId, input.direction);
      return { intent: input.intent, notice: "lessons.moved" };
    case "deleteLesson": {
      if (!(await findLesson(courseId, input.lessonId))) throw notFound();
      const deleted = await deleteLesson(courseId, input.lessonId);
      return deleted.ok ? { intent: input.intent, notice: "lessons.deleted" } : { intent: input.intent, error: `lessons.${deleted.error}` };
    }
    case "publish": {
      const result = await publishCourse(courseId);
      return result.ok ? { intent: input.intent, notice: "publish.published" } : { intent: input.intent, error: "publish.notReady" };
    }
    case "unpublish":
      await unpublishCourse(courseId);
      return { intent: input.intent, notice: "publish.unpublished" };
    case "addOwner": {
      const result = await addCoOwner(user, courseId, input.email);
      return result.ok ? { intent: input.intent, notice: "owners.added" } : { intent: input.intent, error: `owners.${result.error}` };
    }
    case "removeOwner":
      await removeCoOwner(user, courseId, input.userId);
      return { intent: input.intent, notice: "owners.removed" };
  }
}

export default function CourseEditor() {
  const { course, issues, owners, conventions, canManageOwners } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t, i18n } = useTranslation("teach");
  const lng = i18n.language;
  const busy = useNavigation().state === "submitting";
  const revalidator = useRevalidator();
  const published = course.status === "PUBLISHED";

  return (
    <div className="page teach-page">
      <p className="breadcrumbs">
        <Link to="/teach">{t("home.heading")}</Link> › {course.convention.code}
      </p>
      <div className="teach-header">
        <div>
          <h1 lang={course.language}>{course.title}</h1>
          <p className="meta">
            <span className={published ? "badge success" : "badge"}>{t(`status.${course.status}`)}</span>{" "}
            {published && course.publishedAt ? t("publish.publishedOn", { date: formatDate(course.publishedAt, lng) }) : null}{" "}
            · {t("course.learners", { count: course._count.enrolments })}
          </p>
        </div>
        <Link className="button secondary" to={`/teach/courses/${course.id}/preview`}>
          {t("preview.open")}
        </Link>
      </div>

      <section className="card" aria-labelledby="publish-heading">
        <h2 id="publish-heading">{t("publish.heading")}</h2>
        <Feedback data={data} intent={["publish", "unpublish"]} />
        <PublishIssues issues={issues} courseId={course.id} />
        <Form method="post" className="row">
          {published ? (
            <>
              <p className="hint">{t("publish.unpublishHint")}</p>
              <button type="submit" name="intent" value="unpublish" className="button secondary" disabled={busy}>
                {t("publish.unpublish")}
              </button>
            </>
          ) : (
            <button type="submit" name="intent" value="publish" className="button" disabled={busy || issues.length > 0}>
              {t("publish.publish")}
            </button>
          )}
        </Form>
      </section>

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
                    <Link to={`/teach/courses/${course.id}/lessons/${lesson.id}`}>{localized(lng, lesson.title, lesson.titleEn)}</Link>
                  </span>
                  <span className="meta">
                    {lesson.durationSeconds ? formatClock(lesson.durationSeconds) : t("lessons.noVideo")}
                    {" · "}
                    {lesson.slidesKind === "NONE" ? t("lessons.noSlides") : t(`lessons.slides${lesson.slidesKind}`)}
                    {" · "}
                    {t("lessons.captionCount", { count: lesson._count.captions })}
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

      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">{t("course.detailsHeading")}</h2>
        <Feedback data={data} intent="details" />
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="details" />
          <CourseFields
            conventions={conventions}
            errors={errorsFor(data, "details")}
            values={{ ...course, convention: course.convention.code }}
          />
          <p className="meta">
            {t("course.code")}: <code>{course.code}</code>
          </p>
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("course.save")}
            </button>
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="cover-heading">
        <h2 id="cover-heading">{t("cover.heading")}</h2>
        {course.coverAssetId ? <img className="cover-preview" src={`/media/${course.coverAssetId}`} alt={t("cover.alt")} /> : null}
        <UploadField
          purpose="COURSE_COVER"
          courseId={course.id}
          label={t("cover.pick")}
          hint={t("cover.hint")}
          accept="image/png,image/jpeg,image/webp"
          onStored={() => revalidator.revalidate()}
        />
      </section>

      <section className="card" aria-labelledby="owners-heading">
        <h2 id="owners-heading">{t("owners.heading")}</h2>
        <Feedback data={data} intent={["addOwner", "removeOwner"]} />
        <ul className="owners">
          {owners.map((owner) => (
            <li key={owner.user.id}>
              {owner.user.name} ({owner.user.email}) · {t(`owners.${owner.role}`)}
              {canManageOwners && owner.role === "CO_OWNER" ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="userId" value={owner.user.id} />
                  <button type="submit" name="intent" value="removeOwner" className="link-button" disabled={busy}>
                    {t("owners.remove")}
                    <span className="visually-hidden"> {owner.user.name}</span>
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {canManageOwners ? (
          <Form method="post" className="row" noValidate>
            <input type="hidden" name="intent" value="addOwner" />
            <TextField name="email" type="email" label={t("owners.email")} required />
            <button type="submit" className="button" disabled={busy}>
              {t("owners.add")}
            </button>
          </Form>
        ) : (
          <p className="hint">{t("owners.adminOnly")}</p>
        )}
      </section>

      <section className="card" aria-labelledby="export-heading">
        <h2 id="export-heading">{t("export.heading")}</h2>
        <p className="hint">{t("export.hint")}</p>
        <pre className="command">npm run courses:export -- {course.code}</pre>
      </section>
    </div>
  );
}
