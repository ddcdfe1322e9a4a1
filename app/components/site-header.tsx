import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Role } from "~/generated/prisma-sqlite/enums";

/** Keep in step with the header's media query in app/styles/app.css. */
const WIDE = "(min-width: 48rem)";

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
  const menu = useRef<HTMLDetailsElement>(null);
  // On a phone the navigation and tools sit behind a menu button, a native
  // <details>, so it opens without JavaScript too; from WIDE up they are always
  // shown (CSS does that without JavaScript; this keeps the element's state true).
  useEffect(() => {
    const wide = window.matchMedia(WIDE);
    const sync = () => {
      if (menu.current) menu.current.open = wide.matches;
    };
    sync();
    wide.addEventListener("change", sync);
    return () => wide.removeEventListener("change", sync);
  }, []);
  // A page chosen from the menu closes it.
  useEffect(() => {
    if (menu.current && !window.matchMedia(WIDE).matches) menu.current.open = false;
  }, [location.pathname]);
  return (
    <header className="site-header">
      {/* No aria-label: the name is the visible "Tập huấn" and a hidden " — home", so it contains what is seen (WCAG 2.5.3). */}
      <Link to="/" className="brand">
        <span className="brand-mark" aria-hidden="true">
          TH
        </span>
        <span className="brand-name">Tập huấn</span>
        <span className="visually-hidden">{t("brandHome")}</span>
      </Link>
      <details className="site-menu" ref={menu}>
        <summary>
          <span className="site-menu-icon" aria-hidden="true" />
          {t("nav.menu")}
        </summary>
        <div className="site-menu-body">
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
        </div>
      </details>
    </header>
  );
}
