import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { PublishIssue } from "~/teach/publish";
import { languageName } from "~/utils/format";

/** What a course still lacks before learners can have it, each with a link to fix it. */
export function PublishIssues({ issues, courseId }: { issues: PublishIssue[]; courseId: string }) {
  const { t, i18n } = useTranslation("teach");
  if (issues.length === 0) {
    return (
      <p className="notice success" data-testid="publish-ready">
        {t("publish.ready")}
      </p>
    );
  }
  return (
    <div className="notice warning" data-testid="publish-issues">
      <p>{t("publish.missing", { count: issues.length })}</p>
      <ul>
        {issues.map((issue, index) => (
          <li key={index}>
            {issue.code === "noLessons" ? (
              t("issues.noLessons")
            ) : (
              <>
                <Link to={`/teach/courses/${courseId}/lessons/${issue.lessonId}`}>{issue.lesson}</Link>:{" "}
                {describe(issue)}
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );

  function describe(issue: Exclude<PublishIssue, { code: "noLessons" }>): string {
    switch (issue.code) {
      case "videoRefused":
        return t(`refusal.${issue.refusal.code}`, issue.refusal.values);
      case "videoLength":
        return t("refusal.tooLong", { measured: issue.measured });
      case "noCaptions":
        return t("issues.noCaptions", { language: languageName(issue.language, i18n.language) });
      case "badCues":
        return t(`cues.problem.${issue.problem.code}`, issue.problem);
      default:
        return t(`issues.${issue.code}`);
    }
  }
}
