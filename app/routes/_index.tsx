import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listCatalog } from "~/catalog/catalog.server";
import { localized } from "~/i18n";
import { languageName, minutes } from "~/utils/format";
import { metaTitles } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => {
  const titles = metaTitles(matches);
  return [{ title: `${titles.site} · ${titles.home}` }, { name: "description", content: titles.homeDescription }];
};

export async function loader() {
  return { conventions: await listCatalog() };
}

export default function Catalog() {
  const { conventions } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("catalog");
  const lng = i18n.language;
  return (
    <div className="page">
      <section className="hero">
        <h1>{t("heading")}</h1>
        <p className="lead">{t("lead")}</p>
      </section>
      <nav aria-label={t("conventionsNav")} className="convention-index">
        <ul>
          {conventions.map((c) => (
            <li key={c.code}>
              <a href={`#${c.code.toLowerCase()}`}>{c.code}</a>
            </li>
          ))}
        </ul>
      </nav>
      {conventions.map((convention) => (
        <section
          key={convention.code}
          id={convention.code.toLowerCase()}
          className="convention"
          aria-labelledby={`${convention.code}-title`}
        >
          <header className="convention-header">
            <p className="convention-code">{convention.code}</p>
            <h2 id={`${convention.code}-title`}>{localized(lng, convention.nameVi, convention.nameEn)}</h2>
            <dl className="facts">
              <div>
                <dt>{t("adopted")}</dt>
                <dd>{convention.adoptedYear}</dd>
              </div>
              <div>
                <dt>{t("vietnamParty")}</dt>
                <dd>
                  {convention.vietnamPartyYear} ({t(`partyMode.${convention.vietnamPartyMode}`)})
                </dd>
              </div>
              <div>
                <dt>{t("leadBody")}</dt>
                <dd>
                  {convention.leadBodies
                    .map((lead) => localized(lng, lead.agency.nameVi, lead.agency.nameEn) + (lead.isCoLead ? ` (${t("coLead")})` : ""))
                    .join("; ")}
                  {convention.decisionLeadBodies.length > 0 ? (
                    <span className="meta">
                      {" "}
                      ({t("perDecision")}:{" "}
                      {convention.decisionLeadBodies.map((lead) => localized(lng, lead.agency.nameVi, lead.agency.nameEn)).join("; ")})
                    </span>
                  ) : null}
                </dd>
              </div>
            </dl>
          </header>
          {convention.courses.length === 0 ? (
            <p className="empty">{t("noCourses")}</p>
          ) : (
            <ul className="course-grid">
              {convention.courses.map((course) => (
                <li key={course.code} className="course-card">
                  <h3>
                    <Link to={`/courses/${course.code}`}>{localized(lng, course.title, course.titleEn)}</Link>
                  </h3>
                  <p>{localized(lng, course.summary, course.summaryEn)}</p>
                  <p className="meta">
                    {t("lessonCount", { count: course.lessonCount })} · {t("minutes", { count: minutes(course.totalSeconds) })} ·{" "}
                    {languageName(course.language, lng)}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}
