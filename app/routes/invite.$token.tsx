import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getOptionalUser, requireUser } from "~/auth/auth.server";
import { acceptInvite, findInvite } from "~/coverage/link.server";

// A personal invitation a coordinator sent or printed: the person signs in
// (or signs up) and links their learner account to their roster entry.

export const meta: MetaFunction = () => [{ title: "Lời mời · Tập huấn" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const [invite, user] = await Promise.all([findInvite(params.token ?? ""), getOptionalUser(request)]);
  return {
    invite: invite && !invite.linked ? { fullName: invite.fullName, agency: invite.agencyRaw, province: invite.provinceRaw } : null,
    user: user ? { email: user.email } : null,
    here: new URL(request.url).pathname,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  return { outcome: await acceptInvite(params.token ?? "", user.id) };
}

export default function Invite() {
  const { invite, user, here } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("coverage");
  if (result) {
    return (
      <div className="page narrow">
        <h1>{t("invite.title")}</h1>
        <p className={result.outcome === "linked" ? "notice success" : "form-error"} role="status">
          {t(`invite.${result.outcome}`)}
        </p>
        <p>
          <Link to="/">{t("invite.toCourses")}</Link>
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
          <p className="lead">{t("invite.for", { name: invite.fullName, agency: invite.agency, province: invite.province })}</p>
          {user ? (
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
