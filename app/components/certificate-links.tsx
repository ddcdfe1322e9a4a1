import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Where a certificate is: its page (anyone can check it there), its PDF and its digital credential. */
export function certificatePaths(code: string) {
  return { page: `/certificates/${code}`, pdf: `/certificates/${code}.pdf`, credential: `/certificates/${code}.json` };
}

/**
 * The three links of a certificate, the same wherever it is offered: My
 * learning, the last lesson of the course and the course-complete moment.
 * The files are resource routes: plain links that download, not client navigation.
 */
export function CertificateLinks({ code, label }: { code: string; label?: string }) {
  const { t } = useTranslation("certificates");
  const paths = certificatePaths(code);
  return (
    <ul className="certificate-links" aria-label={label ?? t("links.label", { code })}>
      <li>
        <Link className="button small" to={paths.page}>
          {t("links.page")}
        </Link>
      </li>
      <li>
        <a className="button small secondary" href={paths.pdf} download>
          {t("links.pdf")}
        </a>
      </li>
      <li>
        <a className="button small secondary" href={paths.credential} download type="application/json">
          {t("links.credential")}
        </a>
      </li>
    </ul>
  );
}
