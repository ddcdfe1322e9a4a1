import type { HeadersFunction, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { passwordLinkAction, passwordLinkLoader } from "~/auth/password-link.server";
import { PasswordLinkForm } from "~/components/password-link-form";
import { pageTitle } from "~/utils/meta";

// An invitation link: the first password of an account an admin made (24 hours, single use).

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "setPassword") },
  { name: "robots", content: "noindex" },
];

// The token is in the address: never pass it on to another site.
export const headers: HeadersFunction = () => ({ "Referrer-Policy": "no-referrer" });

export const loader = passwordLinkLoader("invitation");
export const action = passwordLinkAction("invitation");

export default function SetPassword() {
  const { email, problem } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return <PasswordLinkForm variant="set" email={email} problem={problem} result={result} />;
}
