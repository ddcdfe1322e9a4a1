import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getOptionalUser, safeRedirectTo, startSession } from "~/auth/auth.server";
import { SignupFormSchema } from "~/auth/forms";
import { signUp } from "~/auth/verification.server";
import { NewPasswordFields } from "~/components/new-password-fields";
import { TextField } from "~/components/text-field";
import i18nextServer from "~/i18next.server";
import { fieldErrors } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Đăng ký · Tập huấn" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect("/my-learning");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = SignupFormSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { errors: fieldErrors(parsed.error) };
  const { name, email, password, redirectTo } = parsed.data;
  // The account and its verification email are written together.
  const created = await signUp({ name, email, password, locale: await i18nextServer.getLocale(request) });
  if (!created.ok) return { errors: { email: "validation.emailTaken" } };
  // No roster link here: the address is not proven yet, and linking takes
  // the person's own confirmation (an invitation or "this is me" on /my-learning).
  return redirect(safeRedirectTo(redirectTo, "/"), { headers: { "Set-Cookie": await startSession(created.userId) } });
}

export default function Signup() {
  const { t } = useTranslation();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const redirectTo = params.get("redirectTo") ?? "";
  return (
    <div className="page narrow">
      <h1>{t("auth.signupTitle")}</h1>
      <p className="lead">{t("auth.signupLead")}</p>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField name="name" label={t("auth.name")} autoComplete="name" error={data?.errors.name} required />
        <TextField name="email" type="email" label={t("auth.email")} autoComplete="email" error={data?.errors.email} required />
        <NewPasswordFields name="password" label={t("auth.password")} errors={data?.errors} />
        <button type="submit" className="button" disabled={busy}>
          {t("auth.signup")}
        </button>
      </Form>
      <p>
        {t("auth.haveAccount")}{" "}
        <Link to={`/login${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>{t("auth.login")}</Link>
      </p>
    </div>
  );
}
