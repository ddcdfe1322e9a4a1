import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Role } from "~/generated/prisma-sqlite/enums";

type NavItem = { to: string; label: string; roles?: readonly Role[] };

// Areas by role. Learning is for everyone signed in; the other areas add
// themselves here as they are built.
const NAV: NavItem[] = [
  { to: "/", label: "nav.catalog" },
  { to: "/my-learning", label: "nav.myLearning", roles: ["LEARNER", "TRAINER", "COORDINATOR", "ADMIN"] },
  { to: "/teach", label: "nav.teach", roles: ["TRAINER", "ADMIN"] },
  { to: "/coverage", label: "coverage:nav.dashboard", roles: ["COORDINATOR", "ADMIN"] },
  { to: "/admin/target-groups", label: "coverage:nav.targetGroups", roles: ["ADMIN"] },
  { to: "/admin/users", label: "people:nav.users", roles: ["ADMIN"] },
  { to: "/admin/outbox", label: "admin:nav.outbox", roles: ["ADMIN"] },
];

export function SiteHeader({ user, locale }: { user: { name: string; role: Role } | null; locale: string }) {
  const { t } = useTranslation();
  const location = useLocation();
  const here = location.pathname + location.search;
  const items = NAV.filter((item) => !item.roles || (user && item.roles.includes(user.role)));
  return (
    <header className="site-header">
      <Link to="/" className="brand" aria-label={t("brandLabel")}>
        <span className="brand-mark" aria-hidden="true">TH</span>
        <span className="brand-name">Tập huấn</span>
      </Link>
      <nav aria-label={t("nav.label")}>
        <ul>
          {items.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.to === "/"}>
                {t(item.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="header-tools">
        <Form method="post" action="/language" className="language-switch" aria-label={t("language.label")}>
          <input type="hidden" name="redirectTo" value={here} />
          <button type="submit" name="lng" value="vi" aria-pressed={locale === "vi"} lang="vi">
            Tiếng Việt
          </button>
          <button type="submit" name="lng" value="en" aria-pressed={locale === "en"} lang="en">
            English
          </button>
        </Form>
        {user ? (
          <Form method="post" action="/logout" className="account">
            <Link to="/account" className="account-name" title={t("nav.account")}>
              {user.name}
            </Link>
            <button type="submit" className="link-button">
              {t("auth.logout")}
            </button>
          </Form>
        ) : (
          <div className="account">
            <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>{t("auth.login")}</Link>
            <Link to={`/signup?redirectTo=${encodeURIComponent(here)}`} className="button small">
              {t("auth.signup")}
            </Link>
          </div>
        )}
      </div>
    </header>
  );
}
