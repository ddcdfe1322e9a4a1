import { Localized } from "~/components/localized-text";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/auth/auth.server";
import { confirmRosterMatch, rosterMatchesFor } from "~/coverage/link.server";
import { requirementsForLearner } from "~/coverage/requirements.server";
import { MyRequirements } from "~/components/my-requirements";
import { CertificateLinks } from "~/components/certificate-links";
import { ProgressBar } from "~/components/progress-bar";
import { listLearnerCertificates } from "~/certificates/learner.server";
import { listMyLearning } from "~/learning/my-learning.server";
import { formatClock, formatDate } from "~/utils/format";
import { readForm } from "~/utils/read-form.server";
import { badRequest } from "~/utils/route.server";
import { done, refused } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "myLearning") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [courses, rosterMatches, certificates, requirements] = await Promise.all([
    listMyLearning(user.id),
    rosterMatchesFor(user.id),
    listLearnerCertificates(user.id),
    // Only the account's own roster person: the link, never an id from the request.
    requirementsForLearner(user.id),
  ]);
  return { courses, rosterMatches, certificates, requirements, email: user.email };
}

const Confirm = z.object({ intent: z.literal("confirm-roster"), personId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/) });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = Confirm.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw badRequest("Bad request");
  // The learner's own "this is me": the one way besides an invitation that links an account.
  const confirmed = await confirmRosterMatch(user.id, parsed.data.personId);
  return confirmed === "linked" ? done() : refused(`learn:rosterMatch.${confirmed}`);
}

export default function MyLearning() {
  const { courses, rosterMatches, certificates, requirements, email } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation("learn");
  const { t: tc } = useTranslation("certificates");
  const lng = i18n.language;
  return (
    <div className="page">
      <h1>{t("myLearning.heading")}</h1>
      {result ? (
        <p
          className={result.status === "ok" ? "notice success" : "form-error"}
          role={result.status === "ok" ? "status" : "alert"}
        >
          {result.status === "ok"
            ? t("rosterMatch.linked")
            : t(result.formError?.key ?? "rosterMatch.notFound", result.formError?.values)}
        </p>
      ) : null}
      {rosterMatches.length > 0 ? (
        <section className="card roster-match" aria-labelledby="roster-match-heading">
          <h2 id="roster-match-heading">{t("rosterMatch.heading")}</h2>
          <p>{t("rosterMatch.lead", { email })}</p>
          {rosterMatches.map((match) => (
            <Form method="post" key={match.id} className="invite-actions">
              <input type="hidden" name="intent" value="confirm-roster" />
              <input type="hidden" name="personId" value={match.id} />
              <span>
                {t("rosterMatch.person", { name: match.fullName, agency: match.agency, province: match.province })}
              </span>
              <button type="submit" className="button small">
                {t("rosterMatch.confirm")}
              </button>
            </Form>
          ))}
        </section>
      ) : null}
      {requirements ? <MyRequirements requirements={requirements} /> : null}
      {certificates.length > 0 ? (
        <section className="card my-certificates" aria-labelledby="certificates-heading">
          <h2 id="certificates-heading">{tc("links.heading")}</h2>
          <p className="meta">{tc("links.lead")}</p>
          <ul className="certificate-list">
            {certificates.map((certificate) => (
              <li key={certificate.code} className="certificate-item">
                <p>
                  <strong>
                    <Localized vi={certificate.course.title} en={certificate.course.titleEn} />
                  </strong>{" "}
                  <span className="convention-code">{certificate.course.convention}</span>
                </p>
                <p className="meta">
                  {tc("links.completedOn")}: {formatDate(certificate.completedAt, lng)} · {tc("links.code")}:{" "}
                  <code>{certificate.code}</code>
                  {certificate.revokedAt ? (
                    <>
                      {" "}
                      <span className="badge warning">
                        {tc("links.revoked", { date: formatDate(certificate.revokedAt, lng) })}
                      </span>
                    </>
                  ) : null}
                </p>
                <CertificateLinks code={certificate.code} label={tc("links.label", { code: certificate.code })} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {courses.length === 0 ? (
        <p className="empty">
          {t("myLearning.empty")} <Link to="/">{t("myLearning.browse")}</Link>
        </p>
      ) : null}
      {courses.map(({ course, lessons, completedLessons, completion, resumeSlug, enrolledAt }) => (
        <section key={course.code} className="card my-course" aria-labelledby={`course-${course.code}`}>
          <header className="my-course-header">
            <div>
              <p className="convention-code">{course.convention}</p>
              <h2 id={`course-${course.code}`}>
                <Link to={`/courses/${course.code}`}>
                  <Localized vi={course.title} en={course.titleEn} />
                </Link>
              </h2>
              <p className="meta">{t("myLearning.enrolledOn", { date: formatDate(enrolledAt, lng) })}</p>
            </div>
            {course.available && resumeSlug ? (
              <Link className="button" to={`/courses/${course.code}/${resumeSlug}`}>
                {completion ? t("review") : t("resume")}
              </Link>
            ) : null}
          </header>
          <ProgressBar
            value={completedLessons}
            max={lessons.length}
            label={t("lessonsDone", { done: completedLessons, total: lessons.length })}
          />
          {completion ? (
            <p className="badge success">
              {t("courseCompleted", { date: formatDate(completion.completedAt, lng) })}{" "}
              <Link to={`/certificates/${completion.certificateCode}`}>{t("viewCertificate")}</Link>
            </p>
          ) : null}
          <table className="table">
            <caption className="visually-hidden">{t("myLearning.lessonTable")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("myLearning.lesson")}</th>
                <th scope="col">{t("duration")}</th>
                <th scope="col">{t("myLearning.progress")}</th>
                <th scope="col">{t("myLearning.completedOn")}</th>
              </tr>
            </thead>
            <tbody>
              {lessons.map((lesson) => (
                <tr key={lesson.id}>
                  <td>
                    {course.available ? (
                      <Link to={`/courses/${course.code}/${lesson.slug}`}>
                        <Localized vi={lesson.title} en={lesson.titleEn} />
                      </Link>
                    ) : (
                      <Localized vi={lesson.title} en={lesson.titleEn} />
                    )}
                  </td>
                  <td>{formatClock(lesson.durationSeconds ?? 0)}</td>
                  <td>{lesson.watchedPercent}%</td>
                  <td>{lesson.completedAt ? formatDate(lesson.completedAt, lng) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
