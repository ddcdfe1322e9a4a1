import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/utils/forms";
import { TextField } from "./text-field";

/** A new password and its confirmation, as signup and the account page ask for them. */
export function NewPasswordFields({
  name,
  label,
  errors,
}: {
  name: string;
  label: string;
  errors: FieldErrors | undefined;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        name={name}
        type="password"
        label={label}
        hint={t("auth.passwordHint")}
        autoComplete="new-password"
        error={errors?.[name]}
        required
      />
      <TextField
        name="confirmPassword"
        type="password"
        label={t("auth.confirmPassword")}
        autoComplete="new-password"
        error={errors?.confirmPassword}
        required
      />
    </>
  );
}
