import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Feedback, type ActionFeedback } from "~/components/action-feedback";
import { PublishIssues } from "~/components/publish-issues";
import type { PublishIssue } from "~/teach/publish";

/** What stops the course from being published, and the publish ("publish") or unpublish ("unpublish") button. */
export function CoursePublishSection({
  courseId,
  published,
  issues,
  data,
  busy,
}: {
  courseId: string;
  published: boolean;
  issues: PublishIssue[];
  data: ActionFeedback | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation("teach");
  return (
    <section className="card" aria-labelledby="publish-heading">
      <h2 id="publish-heading">{t("publish.heading")}</h2>
      <Feedback data={data} intent={["publish", "unpublish"]} />
      <PublishIssues issues={issues} courseId={courseId} />
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
  );
}
