import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { CourseRef, GroupRequirement } from "~/coverage/requirements.server";
import { localized } from "~/i18n";
import { formatDate } from "~/utils/format";
import { Localized } from "./localized-text";
import { ProgressBar } from "./progress-bar";

function CourseItem({ course }: { course: CourseRef }) {
  const name = course.title ? <Localized vi={course.title} en={course.titleEn} /> : course.code;
  return <li>{course.published ? <Link to={`/courses/${course.code}`}>{name}</Link> : name}</li>;
}

/** "What must I take?": each of the learner's target groups, its rule in words, progress and deadline. */
export function MyRequirements({ requirements }: { requirements: GroupRequirement[] }) {
  const { t, i18n } = useTranslation("learn");
  const lng = i18n.language;
  return (
    <section className="card my-requirements" aria-labelledby="requirements-heading" data-testid="requirements">
      <h2 id="requirements-heading">{t("requirements.heading")}</h2>
      {requirements.length === 0 ? <p className="empty">{t("requirements.none")}</p> : null}
      {requirements.map((r) => {
        const counted = Math.min(r.counted.length, r.needed);
        const name = localized(lng, r.group.nameVi, r.group.nameEn);
        return (
          <article
            key={r.group.code}
            className="requirement"
            aria-labelledby={`group-${r.group.code}`}
            data-testid={`requirement-${r.group.code}`}
          >
            <h3 id={`group-${r.group.code}`}>
              {name}{" "}
              <span className={r.done ? "badge success" : "badge warning"}>
                {r.done ? t("requirements.done") : t("requirements.notDone")}
              </span>
            </h3>
            <p>
              {r.kind === "ANY_TRAINING"
                ? t("requirements.rule.ANY_TRAINING")
                : r.kind === "MIN_COUNT"
                  ? t("requirements.rule.MIN_COUNT", { count: r.needed })
                  : t("requirements.rule.REQUIRED_COURSES", { count: r.needed })}
            </p>
            <ProgressBar
              value={counted}
              max={r.needed}
              label={t("requirements.progress", { done: counted, count: r.needed })}
            />
            <p className="meta">{t("requirements.deadline", { date: formatDate(r.deadline, lng) })}</p>
            {r.counted.length > 0 ? (
              <>
                <h4>{t("requirements.counted")}</h4>
                <ul>
                  {r.counted.map((course) => (
                    <CourseItem key={course.code} course={course} />
                  ))}
                </ul>
              </>
            ) : null}
            {r.missing.length > 0 ? (
              <>
                <h4>{t("requirements.missing")}</h4>
                <ul>
                  {r.missing.map((course) => (
                    <CourseItem key={course.code} course={course} />
                  ))}
                </ul>
              </>
            ) : null}
            {!r.done && r.kind !== "REQUIRED_COURSES" ? (
              <p>
                <Link to="/">{t("requirements.anyCourse")}</Link>
              </p>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}
