import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAnonymous, safeRedirectTo, startSession, verifyLogin } from "~/auth/auth.server";
import { LoginFormSchema } from "~/auth/forms";
import { TextField } from "~/components/text-field";
import { languageCookie } from "~/i18next.server";
import { isLanguage } from "~/i18n";
import { clientIp } from "~/load-context";
import { errorsOf, invalid, refused } from "~/utils/forms";
import { readForm } from "~/utils/read-form.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "login") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = LoginFormSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return invalid(parsed.error);
  const { email, password, redirectTo } = parsed.data;
  const result = await verifyLogin(email, password, clientIp(context));
  if (!result.ok) {
    if (result.reason === "throttled") return refused("auth.throttled", { seconds: result.seconds });
    if (result.reason === "deactivated") return refused("account:login.deactivated");
    return refused("auth.invalidCredentials");
  }
  const headers = new Headers();
  headers.append("Set-Cookie", await startSession(result.userId));
  // The account remembers its language across devices.
  if (isLanguage(result.locale)) headers.append("Set-Cookie", await languageCookie.serialize(result.locale));
  return redirect(safeRedirectTo(redirectTo, "/my-learning"), { headers });
}

export default function Login() {
  const { t } = useTranslation();
  const data = useActionData<typeof action>();
  const errors = errorsOf(data);
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const redirectTo = params.get("redirectTo") ?? "";
  return (
    <div className="page narrow">
      <h1>{t("auth.loginTitle")}</h1>
      <Form method="post" className="stack" noValidate>
        {data?.formError ? (
          <p className="form-error" role="alert">
            {t(data.formError.key, data.formError.values)}
          </p>
        ) : null}
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          name="email"
          type="email"
          label={t("auth.email")}
          autoComplete="email"
          error={errors.email}
          required
        />
        <TextField
          name="password"
          type="password"
          label={t("auth.password")}
          autoComplete="current-password"
          error={errors.password}
          required
        />
        <button type="submit" className="button" disabled={busy}>
          {t("auth.login")}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t("account:forgot.link")}</Link>
      </p>
      <p>
        {t("auth.noAccount")}{" "}
        <Link to={`/signup${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>
          {t("auth.signup")}
        </Link>
      </p>
    </div>
  );
}
