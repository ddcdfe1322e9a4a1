import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorPage } from "~/components/error-page";
import { requireAuthor } from "~/teach/ownership.server";

// The teaching area: trainers and admins. Each page still checks which course
// its person may edit; this layout keeps the way back to the course list
// when a page inside fails (a deleted lesson, a course that is not theirs).

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAuthor(request);
  return { author: true };
}

export default function TeachLayout() {
  return <Outlet />;
}

// When the layout's own loader refused (a learner, a signed-out visitor),
// there is no area to go back to: the plain error page.
export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>("routes/teach");
  const { t } = useTranslation("teach");
  return (
    <>
      {data?.author ? (
        <nav className="page teach-back no-print" aria-label={t("home.heading")}>
          <Link to="/teach">{t("home.backToCourses")}</Link>
        </nav>
      ) : null}
      <ErrorPage />
    </>
  );
}
