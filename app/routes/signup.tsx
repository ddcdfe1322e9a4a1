import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAnonymous, safeRedirectTo } from "~/auth/auth.server";
import { SignupFormSchema } from "~/auth/forms";
import { signUp } from "~/auth/verification.server";
import { NewPasswordFields } from "~/components/new-password-fields";
import { TextField } from "~/components/text-field";
import i18nextServer from "~/i18next.server";
import { clientIp } from "~/load-context";
import { errorsOf, invalid } from "~/utils/forms";
import { readForm } from "~/utils/read-form.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "signup") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return { sent: new URL(request.url).searchParams.get("sent") === "1" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = SignupFormSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return invalid(parsed.error);
  const { name, email, password, redirectTo } = parsed.data;
  // One answer whether or not the address had an account: the email says
  // which (a link that verifies and signs in, or "you already have an
  // account"). Nobody is signed in here. No roster link either: linking
  // takes the person's own confirmation (an invitation or "this is me").
  const next = redirectTo ? safeRedirectTo(redirectTo, "") || undefined : undefined;
  await signUp({ name, email, password, locale: await i18nextServer.getLocale(request), next }, clientIp(context));
  return redirect(`/signup?sent=1${next ? `&redirectTo=${encodeURIComponent(next)}` : ""}`);
}

export default function Signup() {
  const { t } = useTranslation();
  const { sent } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const redirectTo = params.get("redirectTo") ?? "";
  const toLogin = (
    <p>
      {t("auth.haveAccount")}{" "}
      <Link to={`/login${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>{t("auth.login")}</Link>
    </p>
  );
  if (sent) {
    return (
      <div className="page narrow">
        <h1>{t("auth.checkEmailTitle")}</h1>
        <p className="notice success" role="status">
          {t("auth.checkEmail")}
        </p>
        {toLogin}
      </div>
    );
  }
  return (
    <div className="page narrow">
      <h1>{t("auth.signupTitle")}</h1>
      <p className="lead">{t("auth.signupLead")}</p>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField name="name" label={t("auth.name")} autoComplete="name" error={errorsOf(data).name} required />
        <TextField
          name="email"
          type="email"
          label={t("auth.email")}
          autoComplete="email"
          error={errorsOf(data).email}
          required
        />
        <NewPasswordFields name="password" label={t("auth.password")} errors={errorsOf(data)} />
        <button type="submit" className="button" disabled={busy}>
          {t("auth.signup")}
        </button>
      </Form>
      {toLogin}
    </div>
  );
}
