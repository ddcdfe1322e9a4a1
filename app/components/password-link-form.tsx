import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { errorsOf, type ActionResult } from "~/utils/forms";
import { NewPasswordFields } from "./new-password-fields";

const PROBLEMS = ["invalid", "expired", "used", "deactivated"] as const;
type Problem = (typeof PROBLEMS)[number];

/** The link's problem a refused post names ("account:link.used"; see linkProblemKey), or null. */
function problemOf(result: ActionResult | undefined): Problem | null {
  const key = result?.status === "invalid" ? result.formError?.key : undefined;
  return PROBLEMS.find((problem) => key === `account:link.${problem}`) ?? null;
}

/**
 * The page behind a reset link ("reset") or an invitation link ("set"):
 * a new password and its confirmation, or why the link no longer works.
 */
export function PasswordLinkForm({
  variant,
  email,
  problem: loaded,
  result,
}: {
  variant: "reset" | "set";
  email: string | null;
  /** The link's problem when the page was opened. */
  problem: Problem | null;
  /** The answer to the form, when it was sent. */
  result: ActionResult | undefined;
}) {
  const problem = problemOf(result) ?? loaded;
  const { t } = useTranslation("account");
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page narrow">
      <h1>{t(`${variant}.title`)}</h1>
      {problem || !email ? (
        <>
          <p className="form-error" role="alert">
            {t(`link.${problem ?? "invalid"}`)}
          </p>
          {problem !== "deactivated" ? (
            <p>
              <Link to="/forgot-password">{t("link.requestNew")}</Link>
            </p>
          ) : null}
        </>
      ) : (
        <>
          <p className="lead">{t(`${variant}.lead`, { email })}</p>
          <Form method="post" className="stack" noValidate>
            {/* Lets a password manager file the new password under the right account. */}
            <input type="email" name="username" value={email} autoComplete="username" readOnly hidden />
            <NewPasswordFields name="password" label={t("common:account.newPassword")} errors={errorsOf(result)} />
            <button type="submit" className="button" disabled={busy}>
              {t(`${variant}.submit`)}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}
