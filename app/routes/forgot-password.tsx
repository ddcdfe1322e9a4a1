import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAnonymous } from "~/auth/auth.server";
import { ForgotPasswordFormSchema } from "~/auth/forms";
import { requestPasswordReset } from "~/auth/password-reset.server";
import { TextField } from "~/components/text-field";
import { clientIp } from "~/load-context";
import { done, errorsOf, invalid } from "~/utils/forms";
import { readForm } from "~/utils/read-form.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "forgotPassword") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = ForgotPasswordFormSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return invalid(parsed.error);
  // The outcome is deliberately not shown: the answer is the same whether or
  // not the address has an account, is deactivated or was rate limited.
  await requestPasswordReset(parsed.data.email, clientIp(context));
  return done();
}

export default function ForgotPassword() {
  const { t } = useTranslation("account");
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page narrow">
      <h1>{t("forgot.title")}</h1>
      {data?.status === "ok" ? (
        <p className="notice success" role="status">
          {t("forgot.sent")}
        </p>
      ) : (
        <>
          <p className="lead">{t("forgot.lead")}</p>
          <Form method="post" className="stack" noValidate>
            <TextField
              name="email"
              type="email"
              label={t("common:auth.email")}
              autoComplete="email"
              error={errorsOf(data).email}
              required
            />
            <button type="submit" className="button" disabled={busy}>
              {t("forgot.submit")}
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/login">{t("forgot.backToLogin")}</Link>
      </p>
    </div>
  );
}
