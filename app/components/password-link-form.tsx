import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/utils/forms";
import { NewPasswordFields } from "./new-password-fields";

type Problem = "invalid" | "expired" | "used" | "deactivated";

/**
 * The page behind a reset link ("reset") or an invitation link ("set"):
 * a new password and its confirmation, or why the link no longer works.
 */
export function PasswordLinkForm({
  variant,
  email,
  problem,
  errors,
}: {
  variant: "reset" | "set";
  email: string | null;
  problem: Problem | null;
  errors: FieldErrors | undefined;
}) {
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
            <NewPasswordFields name="password" label={t("common:account.newPassword")} errors={errors} />
            <button type="submit" className="button" disabled={busy}>
              {t(`${variant}.submit`)}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}
