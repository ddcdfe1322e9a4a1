import { Localized } from "~/components/localized-text";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { Fragment, useEffect, useRef, type FormEvent, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { searchCatalog } from "~/catalog/catalog.server";
import { COURSE_LENGTHS, isFiltered, SEARCH_MAX_LENGTH, type CatalogQuery } from "~/catalog/search";
import { parseCatalogQuery } from "~/catalog/search-params";
import { localized } from "~/i18n";
import { languageName, minutes } from "~/utils/format";
import { metaTitles } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => {
  const titles = metaTitles(matches);
  return [{ title: `${titles.site} · ${titles.home}` }, { name: "description", content: titles.homeDescription }];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const { query, ignored } = parseCatalogQuery(new URL(request.url).searchParams);
  return searchCatalog(query, ignored);
}

// Typing waits for a pause before searching; a filter choice searches at once.
const TYPING_PAUSE_MS = 300;

export default function Catalog() {
  const { conventions, courseCount, choices, query, ignored } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("catalog");
  const lng = i18n.language;
  const filtered = isFiltered(query);
  return (
    <div className="page">
      <section className="hero">
        <h1>{t("heading")}</h1>
        <p className="lead">{t("lead")}</p>
      </section>
      <CatalogSearch query={query} choices={choices} />
      {ignored.length > 0 ? <p className="notice warning">{t("search.ignored")}</p> : null}
      <p className="catalog-count">
        {/* Announced as results change; the link beside it is not. */}
        <span role="status">{t("search.count", { count: courseCount })}</span>
        {filtered ? (
          <>
            {" · "}
            <Link to="/">{t("search.clear")}</Link>
          </>
        ) : null}
      </p>
      {conventions.length === 0 ? (
        <p className="empty">{t("search.empty")}</p>
      ) : (
        <nav aria-label={t("conventionsNav")} className="convention-index">
          <ul>
            {conventions.map((c) => (
              <li key={c.code}>
                <a href={`#${c.code.toLowerCase()}`}>{c.code}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
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
                  {convention.leadBodies.map((lead, i) => (
                    <Fragment key={lead.agency.nameVi}>
                      {i > 0 ? "; " : null}
                      <Localized vi={lead.agency.nameVi} en={lead.agency.nameEn} />
                      {lead.isCoLead ? ` (${t("coLead")})` : null}
                    </Fragment>
                  ))}
                  {convention.decisionLeadBodies.length > 0 ? (
                    <span className="meta">
                      {" "}
                      ({t("perDecision")}:{" "}
                      {convention.decisionLeadBodies.map((lead, i) => (
                        <Fragment key={lead.agency.nameVi}>
                          {i > 0 ? "; " : null}
                          <Localized vi={lead.agency.nameVi} en={lead.agency.nameEn} />
                        </Fragment>
                      ))}
                      )
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
                    <Link to={`/courses/${course.code}`}>
                      <Localized vi={course.title} en={course.titleEn} />
                    </Link>
                  </h3>
                  <p className="course-summary">
                    <Localized vi={course.summary} en={course.summaryEn} />
                  </p>
                  <p className="meta">
                    {t("lessonCount", { count: course.lessonCount })} ·{" "}
                    {t("minutes", { count: minutes(course.totalSeconds) })} · {languageName(course.language, lng)}
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

/**
 * A GET form, so search and filters work without JavaScript and the URL can
 * be shared. With JavaScript it searches as the visitor types or picks; the
 * fields are not re-rendered from the result, so focus and caret stay put.
 */
type Choices = { conventions: { code: string; nameVi: string; nameEn: string | null }[]; languages: string[] };

function CatalogSearch({ query, choices }: { query: CatalogQuery; choices: Choices }) {
  const { t, i18n } = useTranslation("catalog");
  const lng = i18n.language;
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const typing = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(typing.current), []);
  useFieldsFollowQuery(formRef, query);

  function search(form: HTMLFormElement, replace: boolean) {
    clearTimeout(typing.current);
    submit(filledFields(form), { method: "get", replace, preventScrollReset: true });
  }
  function onChange(event: FormEvent<HTMLFormElement>) {
    const form = event.currentTarget;
    if ((event.target as HTMLElement).tagName === "INPUT") {
      clearTimeout(typing.current);
      // One history entry per search, not per keystroke.
      typing.current = setTimeout(() => search(form, true), TYPING_PAUSE_MS);
    } else {
      search(form, false);
    }
  }

  return (
    <Form
      method="get"
      role="search"
      className="catalog-search"
      ref={formRef}
      onChange={onChange}
      onSubmit={(event) => {
        event.preventDefault();
        search(event.currentTarget, false);
      }}
    >
      <div className="field catalog-q">
        <label htmlFor="catalog-q">{t("search.query")}</label>
        <input
          id="catalog-q"
          type="search"
          name="q"
          defaultValue={query.q ?? ""}
          maxLength={SEARCH_MAX_LENGTH}
          aria-describedby="catalog-q-hint"
          autoComplete="off"
        />
        <span id="catalog-q-hint" className="hint">
          {t("search.hint")}
        </span>
      </div>
      <fieldset className="catalog-filters">
        <legend>{t("search.filters")}</legend>
        <div className="field">
          <label htmlFor="catalog-convention">{t("search.convention")}</label>
          <select id="catalog-convention" name="convention" defaultValue={query.convention ?? ""}>
            <option value="">{t("search.any")}</option>
            {choices.conventions.map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} · {localized(lng, c.nameVi, c.nameEn)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="catalog-language">{t("search.language")}</label>
          <select id="catalog-language" name="language" defaultValue={query.language ?? ""}>
            <option value="">{t("search.any")}</option>
            {choices.languages.map((language) => (
              <option key={language} value={language}>
                {languageName(language, lng)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="catalog-length">{t("search.length")}</label>
          <select id="catalog-length" name="length" defaultValue={query.length ?? ""}>
            <option value="">{t("search.any")}</option>
            {COURSE_LENGTHS.map((length) => (
              <option key={length} value={length}>
                {t(`search.lengths.${length}`)}
              </option>
            ))}
          </select>
        </div>
      </fieldset>
      <button type="submit" className="button small">
        {t("search.submit")}
      </button>
    </Form>
  );
}

/** The form's non-empty fields: a shared link reads ?q=tre+em, not ?q=tre+em&convention=&language=&length=. */
function filledFields(form: HTMLFormElement): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (typeof value === "string" && value.trim() !== "") params.set(key, value.trim());
  }
  return params;
}

/**
 * Uncontrolled fields keep what the visitor is typing; when the query changes
 * from elsewhere (back button, "clear filters"), they are set to it, except
 * the one being edited.
 */
function useFieldsFollowQuery(formRef: RefObject<HTMLFormElement | null>, query: CatalogQuery) {
  const { q = "", convention = "", language = "", length = "" } = query;
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const values: Record<string, string> = { q, convention, language, length };
    for (const [name, value] of Object.entries(values)) {
      const field = form.elements.namedItem(name);
      if (
        (field instanceof HTMLInputElement || field instanceof HTMLSelectElement) &&
        field !== document.activeElement
      ) {
        field.value = value;
      }
    }
  }, [formRef, q, convention, language, length]);
}
