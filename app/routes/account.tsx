import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { changePassword, requireUser } from "~/auth/auth.server";
import { ChangePasswordFormSchema } from "~/auth/forms";
import { isEmailVerified, resendVerification } from "~/auth/verification.server";
import { NewPasswordFields } from "~/components/new-password-fields";
import { TextField } from "~/components/text-field";
import { clientIp } from "~/load-context";
import { done, errorsOf, invalid, refused } from "~/utils/forms";
import { readForm } from "~/utils/read-form.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "account") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const passwordChanged = new URL(request.url).searchParams.get("password") === "changed";
  return {
    user: { name: user.name, email: user.email },
    emailVerified: await isEmailVerified(user.id),
    passwordChanged,
  };
}

const RESEND = "resend-verification";

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = Object.fromEntries(await readForm(request));
  if (form.intent === RESEND) {
    const resend = await resendVerification(user.id, clientIp(context));
    if (resend === "limited") return data(refused("account:email.limited", undefined, RESEND), { status: 429 });
    return data(done({ resend }, RESEND));
  }
  const parsed = ChangePasswordFormSchema.safeParse(form);
  if (!parsed.success) return data(invalid(parsed.error), { status: 400 });
  const result = await changePassword(user.id, parsed.data.currentPassword, parsed.data.newPassword);
  if (!result.ok) return data(invalid({ currentPassword: "validation.wrongPassword" }), { status: 400 });
  // Every session of this account has ended and this browser got a fresh one.
  // A redirect, not data: without JavaScript, Remix runs this page's loader
  // in the same request, with the old cookie, and would send the user to the
  // login page; the redirect is followed with the new cookie.
  return redirect("/account?password=changed", { headers: { "Set-Cookie": result.cookie } });
}

export default function Account() {
  const { user, emailVerified, passwordChanged } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const resent = result?.intent === RESEND ? result : undefined;
  const errors = result?.intent === undefined ? errorsOf(result) : {};
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const resending = busy && navigation.formData?.get("intent") === RESEND;
  return (
    <div className="page narrow">
      <h1>{t("account.heading")}</h1>
      <p>
        {user.name} · {user.email}
      </p>
      <h2>{t("account:email.heading")}</h2>
      {resent?.status === "ok" ? (
        <p className="notice success" role="status">
          {t(resent.data.resend === "sent" ? "account:email.resent" : "account:email.alreadyVerified", {
            email: user.email,
          })}
        </p>
      ) : null}
      {resent?.status === "invalid" && resent.formError ? (
        <p className="form-error" role="alert">
          {t(resent.formError.key, resent.formError.values)}
        </p>
      ) : null}
      {emailVerified ? (
        <p className="notice success">{t("account:email.verified")}</p>
      ) : (
        <Form method="post" className="stack">
          <p className="notice warning">{t("account:email.notVerified", { email: user.email })}</p>
          <input type="hidden" name="intent" value={RESEND} />
          <div>
            <button type="submit" className="button secondary" disabled={resending}>
              {t("account:email.resend")}
            </button>
          </div>
        </Form>
      )}
      <h2>{t("account.changePassword")}</h2>
      {passwordChanged && !result ? (
        <p className="notice success" role="status">
          {t("account.passwordChanged")}
        </p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <TextField
          name="currentPassword"
          type="password"
          label={t("account.currentPassword")}
          autoComplete="current-password"
          error={errors.currentPassword}
          required
        />
        <NewPasswordFields name="newPassword" label={t("account.newPassword")} errors={errors} />
        <button type="submit" className="button" disabled={busy}>
          {t("account.changePassword")}
        </button>
      </Form>
    </div>
  );
}
