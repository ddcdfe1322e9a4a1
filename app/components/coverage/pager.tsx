import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export function Pager({ page, total, pageSize }: { page: number; total: number; pageSize: number }) {
  const { t } = useTranslation("coverage");
  const location = useLocation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const to = (p: number) => {
    const search = new URLSearchParams(location.search);
    search.set("page", String(p));
    return `${location.pathname}?${search}`;
  };
  return (
    <nav className="pager" aria-label={t("pager.label")}>
      {page > 1 ? <Link to={to(page - 1)}>{t("pager.previous")}</Link> : <span aria-hidden="true" />}
      <span>{t("pager.page", { page, pages })}</span>
      {page < pages ? <Link to={to(page + 1)}>{t("pager.next")}</Link> : <span aria-hidden="true" />}
    </nav>
  );
}
