import { useTranslation } from "react-i18next";

/** CSV and XLSX links for a table, with the page's query. */
export function ExportLinks({
  table,
  params,
  label,
}: {
  table: string;
  params: Record<string, string | number | undefined>;
  label: string;
}) {
  const { t } = useTranslation("coverage");
  const href = (format: "csv" | "xlsx") => {
    const search = new URLSearchParams({ table, format });
    for (const [key, value] of Object.entries(params))
      if (value !== undefined && value !== "") search.set(key, String(value));
    return `/coverage/export?${search}`;
  };
  return (
    <p className="export-links">
      <span>{t("export.label")}:</span>
      <a href={href("csv")} download aria-label={`${t("export.download", { format: "CSV" })} — ${label}`}>
        {t("export.csv")}
      </a>
      <a href={href("xlsx")} download aria-label={`${t("export.download", { format: t("export.xlsx") })} — ${label}`}>
        {t("export.xlsx")}
      </a>
    </p>
  );
}
