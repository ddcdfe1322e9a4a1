import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { verifyEmailWithLink } from "~/auth/verification.server";

// Opening the link from the sign-up email verifies that account's address,
// whoever is signed in here (or nobody).

export const meta: MetaFunction = () => [{ title: "Xác nhận email · Tập huấn" }, { name: "robots", content: "noindex" }];

export const headers: HeadersFunction = () => ({ "Referrer-Policy": "no-referrer" });

export async function loader({ params }: LoaderFunctionArgs) {
  const result = await verifyEmailWithLink(params.token ?? "");
  return result.ok ? { email: result.email, problem: null } : { email: null, problem: result.reason };
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
