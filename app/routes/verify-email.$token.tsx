import { redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getOptionalUser, safeRedirectTo, startSession } from "~/auth/auth.server";
import { homeFor } from "~/auth/home";
import { verifyEmailWithLink } from "~/auth/verification.server";
import { languageCookie } from "~/i18next.server";
import { isLanguage } from "~/i18n";
import { pageTitle } from "~/utils/meta";

// Opening the link from the sign-up email verifies that account's address,
// whoever is signed in here (or nobody). Sign-up signs no one in (it must
// not tell whether the address had an account), so the link does: it
// reached the address. Someone else signed in here (an admin opening it from
// the outbox) stays signed in and sees the confirmation.

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "verifyEmail") },
  { name: "robots", content: "noindex" },
];

export const headers: HeadersFunction = () => ({ "Referrer-Policy": "no-referrer" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const result = await verifyEmailWithLink(params.token ?? "");
  if (!result.ok) return { email: null, problem: result.reason };
  const { user } = result;
  const current = await getOptionalUser(request);
  const next = safeRedirectTo(new URL(request.url).searchParams.get("next"), homeFor(user.role));
  if (current?.id === user.id) return redirect(next);
  if (!current && user.active) {
    const headers = new Headers();
    headers.append("Set-Cookie", await startSession(user.id));
    if (isLanguage(user.locale)) headers.append("Set-Cookie", await languageCookie.serialize(user.locale));
    return redirect(next, { headers });
  }
  return { email: result.email, problem: null };
}

// The loader uses the link: run again (after switching language, say), it
// would report the link as used.
export const shouldRevalidate: ShouldRevalidateFunction = () => false;

export default function VerifyEmail() {
  const { email, problem } = useLoaderData<typeof loader>();
  const { t } = useTranslation("account");
  return (
    <div className="page narrow">
      <h1>{t("verify.title")}</h1>
      {problem ? (
        <>
          <p className="form-error" role="alert">
            {t(`link.${problem}`)}
          </p>
          <p>
            <Link to="/account">{t("verify.requestNew")}</Link>
          </p>
        </>
      ) : (
        <>
          <p className="notice success" role="status">
            {t("verify.done", { email })}
          </p>
          <p>
            <Link to="/">{t("verify.toCourses")}</Link>
          </p>
        </>
      )}
    </div>
  );
}
