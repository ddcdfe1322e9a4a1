import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getOptionalUser, safeRedirectTo, setUserLocale } from "~/auth/auth.server";
import { supportedLanguages } from "~/i18n";
import { languageCookie } from "~/i18next.server";
import { readForm } from "~/utils/read-form.server";

const LanguageForm = z.object({
  lng: z.enum(supportedLanguages),
  redirectTo: z.string().optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const parsed = LanguageForm.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("Unsupported language", { status: 400 });
  const user = await getOptionalUser(request);
  if (user) await setUserLocale(user.id, parsed.data.lng);
  return redirect(safeRedirectTo(parsed.data.redirectTo), {
    headers: { "Set-Cookie": await languageCookie.serialize(parsed.data.lng) },
  });
}

export function loader() {
  return redirect("/");
}
