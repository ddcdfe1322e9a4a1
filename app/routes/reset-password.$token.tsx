import type { HeadersFunction, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { passwordLinkAction, passwordLinkLoader } from "~/auth/password-link.server";
import { PasswordLinkForm } from "~/components/password-link-form";
import { pageTitle } from "~/utils/meta";

// A forgot-password link (1 hour, single use).

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "resetPassword") },
  { name: "robots", content: "noindex" },
];

// The token is in the address: never pass it on to another site.
export const headers: HeadersFunction = () => ({ "Referrer-Policy": "no-referrer" });

export const loader = passwordLinkLoader("reset");
export const action = passwordLinkAction("reset");

export default function ResetPassword() {
  const { email, problem } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return <PasswordLinkForm variant="reset" email={email} problem={problem} result={result} />;
}
