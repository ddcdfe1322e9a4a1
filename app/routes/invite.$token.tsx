import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getOptionalUser, requireUser } from "~/auth/auth.server";
import { isEmailVerified } from "~/auth/verification.server";
import { acceptInvite, findInvite } from "~/coverage/link.server";
import { done, refused } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

// A personal invitation a coordinator sent or printed: the person signs in
// (or signs up) and links their learner account to their roster entry. Only
// an account whose email is verified may accept: the link is what turns its
// completions into the unit's training records.

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "invite") },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const [invite, user] = await Promise.all([findInvite(params.token ?? ""), getOptionalUser(request)]);
  return {
    invite:
      invite && !invite.linked
        ? { fullName: invite.fullName, agency: invite.agencyRaw, province: invite.provinceRaw }
        : null,
    user: user ? { email: user.email, verified: await isEmailVerified(user.id) } : null,
    here: new URL(request.url).pathname,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const outcome = await acceptInvite(params.token ?? "", user.id);
  return outcome === "linked" ? done() : refused(`coverage:invite.${outcome}`);
}

export default function Invite() {
  const { invite, user, here } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("coverage");
  if (result) {
    return (
      <div className="page narrow">
        <h1>{t("invite.title")}</h1>
        <p className={result.status === "ok" ? "notice success" : "form-error"} role="status">
          {result.status === "ok"
            ? t("invite.linked")
            : t(result.formError?.key ?? "invite.unknown", result.formError?.values)}
        </p>
        <p>
          {result.status === "invalid" && result.formError?.key === "coverage:invite.unverified" ? (
            <Link to="/account">{t("invite.toAccount")}</Link>
          ) : (
            <Link to="/">{t("invite.toCourses")}</Link>
          )}
        </p>
      </div>
    );
  }
  return (
    <div className="page narrow">
      <h1>{t("invite.title")}</h1>
      {!invite ? (
        <p className="form-error" role="alert">
          {t("invite.unknown")}
        </p>
      ) : (
        <>
          <p className="lead">
            {t("invite.for", { name: invite.fullName, agency: invite.agency, province: invite.province })}
          </p>
          {user && !user.verified ? (
            <div className="stack">
              <p className="notice" role="status">
                {t("invite.verifyFirst", { email: user.email })}
              </p>
              <Form method="post" action="/account" className="invite-actions">
                <input type="hidden" name="intent" value="resend-verification" />
                <button type="submit" className="button">
                  {t("invite.resend")}
                </button>
                <Link className="button secondary" to="/account">
                  {t("invite.toAccount")}
                </Link>
              </Form>
            </div>
          ) : user ? (
            <Form method="post" className="stack">
              <p>{t("invite.acceptLead", { email: user.email })}</p>
              <div>
                <button type="submit" className="button">
                  {t("invite.accept")}
                </button>
              </div>
            </Form>
          ) : (
            <p className="invite-actions">
              <Link className="button" to={`/login?redirectTo=${encodeURIComponent(here)}`}>
                {t("invite.signIn")}
              </Link>
              <Link className="button secondary" to={`/signup?redirectTo=${encodeURIComponent(here)}`}>
                {t("invite.signUp")}
              </Link>
            </p>
          )}
        </>
      )}
    </div>
  );
}
