import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { errorsFor, Feedback, type ActionFeedback } from "~/components/action-feedback";
import { CourseFields } from "~/components/course-fields";

type CourseFieldsProps = Parameters<typeof CourseFields>[0];

/** The course's descriptive fields (intent "details"); the code is shown, not edited. */
export function CourseDetailsSection({
  code,
  values,
  conventions,
  data,
  busy,
}: {
  code: string;
  values: NonNullable<CourseFieldsProps["values"]>;
  conventions: CourseFieldsProps["conventions"];
  data: ActionFeedback | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation("teach");
  return (
    <section className="card" aria-labelledby="details-heading">
      <h2 id="details-heading">{t("course.detailsHeading")}</h2>
      <Feedback data={data} intent="details" />
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="details" />
        <CourseFields conventions={conventions} errors={errorsFor(data, "details")} values={values} />
        <p className="meta">
          {t("course.code")}: <code>{code}</code>
        </p>
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("course.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}
