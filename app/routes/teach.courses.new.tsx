import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CourseFields } from "~/components/course-fields";
import { TextField } from "~/components/text-field";
import { createCourse, listConventions } from "~/teach/courses.server";
import { NewCourseFormSchema } from "~/teach/forms";
import { requireAuthor } from "~/teach/ownership.server";
import { errorsOf, invalid } from "~/utils/forms";
import { readForm } from "~/utils/read-form.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "newCourse") }];
export const handle = { i18n: ["teach"] };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAuthor(request);
  return { conventions: await listConventions() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAuthor(request);
  const parsed = NewCourseFormSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return invalid(parsed.error);
  const created = await createCourse(user, parsed.data);
  if (!created.ok) return invalid({ [created.field]: created.error });
  return redirect(`/teach/courses/${created.courseId}`);
}

export default function NewCourse() {
  const { conventions } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("teach");
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page narrow-wide">
      <p className="breadcrumbs">
        <Link to="/teach">{t("home.heading")}</Link>
      </p>
      <h1>{t("newCourse.heading")}</h1>
      <p className="lead">{t("newCourse.lead")}</p>
      <Form method="post" className="stack" noValidate>
        <CourseFields conventions={conventions} errors={errorsOf(data)} />
        <TextField
          name="code"
          label={t("course.code")}
          hint={t("course.codeHint")}
          error={errorsOf(data).code}
          pattern="[a-z0-9-]*"
        />
        <button type="submit" className="button" disabled={busy}>
          {t("newCourse.create")}
        </button>
      </Form>
    </div>
  );
}
