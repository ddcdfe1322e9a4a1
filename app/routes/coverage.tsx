import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorPage } from "~/components/error-page";
import { scopeLabel } from "~/coverage/page.server";
import { requireCoverageActor } from "~/coverage/scope.server";

// The coverage area: coordinators and admins. Each child route checks the
// role and applies the scope itself; this layout only frames the pages.

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireCoverageActor(request);
  return { scope: await scopeLabel(actor) };
}

const LINKS = [
  ["/coverage", "subnav.dashboard"],
  ["/coverage/provinces", "subnav.provinces"],
  ["/coverage/agencies", "subnav.agencies"],
  ["/coverage/follow-up", "subnav.followUp"],
  ["/coverage/roster", "subnav.roster"],
  ["/coverage/import", "subnav.import"],
  ["/coverage/certificates", "certificates:export.nav"],
  ["/audit", "operations:audit.nav"],
] as const;

export default function CoverageLayout() {
  const { scope } = useLoaderData<typeof loader>();
  return (
    <CoverageFrame scope={scope}>
      <Outlet />
    </CoverageFrame>
  );
}

// An error inside the area (an unknown person, someone else's import) keeps
// the area's navigation. When the layout's own loader refused (a learner, a
// signed-out visitor), there is no area to show: the plain error page.
export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>("routes/coverage");
  if (!data) return <ErrorPage />;
  return (
    <CoverageFrame scope={data.scope}>
      <ErrorPage />
    </CoverageFrame>
  );
}

function CoverageFrame({
  scope,
  children,
}: {
  scope: Awaited<ReturnType<typeof loader>>["scope"];
  children: ReactNode;
}) {
  const { t } = useTranslation("coverage");
  return (
    <div className="page coverage">
      <div className="coverage-header no-print">
        <p className="coverage-area">{t("area")}</p>
        <span className="badge coverage-scope">{t(`scope.${scope.key}`, { name: scope.name })}</span>
      </div>
      <nav className="coverage-subnav no-print" aria-label={t("subnav.label")}>
        <ul>
          {LINKS.map(([to, label]) => (
            <li key={to}>
              <NavLink to={to} end={to === "/coverage"} prefetch="intent">
                {t(label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </div>
  );
}
