import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { languageCookie } from "~/i18next.server";
import { isLanguage } from "~/i18n";
import { clientIp } from "~/load-context";
import { invalid, refused, type ActionResult } from "~/utils/forms";
import { NewPasswordFormSchema } from "./forms";
import { homeFor } from "./home";
import { passwordLink, setPasswordWithLink, type LinkProblem, type PasswordLinkPurpose } from "./password-reset.server";
import { readForm } from "~/utils/read-form.server";

// The loader and action of /reset-password/$token and /set-password/$token:
// the same form behind two kinds of link.

export function passwordLinkLoader(purpose: PasswordLinkPurpose) {
  return async ({ params }: LoaderFunctionArgs) => {
    const link = await passwordLink(params.token ?? "", purpose);
    return link.ok ? { email: link.email, problem: null } : { email: null, problem: link.reason };
  };
}

/** The key a refused post names its link's problem by ("account:link.used"), read back by the form. */
export const linkProblemKey = (problem: LinkProblem) => `account:link.${problem}` as const;

export function passwordLinkAction(purpose: PasswordLinkPurpose) {
  return async ({ request, params, context }: ActionFunctionArgs): Promise<ActionResult | Response> => {
    const parsed = NewPasswordFormSchema.safeParse(Object.fromEntries(await readForm(request)));
    if (!parsed.success) return invalid(parsed.error);
    const result = await setPasswordWithLink(params.token ?? "", purpose, parsed.data.password, clientIp(context));
    if (!result.ok) return refused(linkProblemKey(result.reason));
    const headers = new Headers();
    headers.append("Set-Cookie", result.cookie);
    // As at login: the account's language follows it to this browser.
    if (isLanguage(result.locale)) headers.append("Set-Cookie", await languageCookie.serialize(result.locale));
    return redirect(homeFor(result.role), { headers });
  };
}
