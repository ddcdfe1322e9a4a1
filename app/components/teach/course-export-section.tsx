import { useTranslation } from "react-i18next";

/** The command that writes the course back to files under courses/. */
export function CourseExportSection({ code }: { code: string }) {
  const { t } = useTranslation("teach");
  return (
    <section className="card" aria-labelledby="export-heading">
      <h2 id="export-heading">{t("export.heading")}</h2>
      <p className="hint">{t("export.hint")}</p>
      <pre className="command">npm run courses:export -- {code}</pre>
    </section>
  );
}
