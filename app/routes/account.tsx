import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { changePassword, requireUser } from "~/auth/auth.server";
import { ChangePasswordFormSchema } from "~/auth/forms";
import { NewPasswordFields } from "~/components/new-password-fields";
import { TextField } from "~/components/text-field";
import { fieldErrors, type FieldErrors } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Tài khoản · Tập huấn" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { user: { name: user.name, email: user.email } };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = ChangePasswordFormSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ errors: fieldErrors(parsed.error), changed: false }, { status: 400 });
  const result = await changePassword(user.id, parsed.data.currentPassword, parsed.data.newPassword);
  if (!result.ok) {
    return Response.json({ errors: { currentPassword: "validation.wrongPassword" } as FieldErrors, changed: false }, { status: 400 });
  }
  // Every other session of this account has just been signed out.
  return Response.json({ errors: {} as FieldErrors, changed: true }, { headers: { "Set-Cookie": result.cookie } });
}

export default function Account() {
  const { user } = useLoaderData<typeof loader>();
  const data = useActionData<{ errors: FieldErrors; changed: boolean }>();
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page narrow">
      <h1>{t("account.heading")}</h1>
      <p>
        {user.name} · {user.email}
      </p>
      <h2>{t("account.changePassword")}</h2>
      {data?.changed ? (
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
          error={data?.errors.currentPassword}
          required
        />
        <NewPasswordFields name="newPassword" label={t("account.newPassword")} errors={data?.errors} />
        <button type="submit" className="button" disabled={busy}>
          {t("account.changePassword")}
        </button>
      </Form>
    </div>
  );
}
