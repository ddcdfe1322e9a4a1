import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";

// A client's mistake (a malformed form, a body too large: read-form.server.ts)
// gets a page that says so, never the "something went wrong" of a server error.
const ERROR_PAGES: Record<number, "notFound" | "forbidden" | "badRequest" | "tooLarge"> = {
  400: "badRequest",
  403: "forbidden",
  404: "notFound",
  413: "tooLarge",
};

/** The error page of whichever boundary caught the error: the root's, or a section's inside its frame. */
export function ErrorPage() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (!isRouteErrorResponse(error)) console.error(error);
  const key = ERROR_PAGES[status] ?? (status >= 400 && status < 500 ? "badRequest" : "serverError");
  return (
    <div className="page narrow error-page" role="alert">
      <p className="error-code">{status}</p>
      <h1>{t(`errors.${key}.title`)}</h1>
      <p>{t(`errors.${key}.body`)}</p>
      <p>
        <a href="/">{t("errors.backHome")}</a>
      </p>
    </div>
  );
}
