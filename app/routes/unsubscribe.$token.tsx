import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { unsubscribe } from "~/email/outbox.server";
import { unsubscribeLinkValid } from "~/coverage/reminders.server";
import { done, refused } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

// The link at the foot of every reminder. Works without an account; opening
// it changes nothing (mail scanners open links), the button does. A bad link
// says only that it is not valid: not whose it was, nor why.

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "unsubscribe") },
  { name: "robots", content: "noindex" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  return { valid: await unsubscribeLinkValid(params.token ?? "") };
}

export async function action({ params }: ActionFunctionArgs) {
  return (await unsubscribe(params.token ?? "")) !== null ? done() : refused("operations:unsubscribe.invalid");
}

export default function Unsubscribe() {
  const { valid } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("operations");
  return (
    <div className="page narrow">
      <h1>{t("unsubscribe.title")}</h1>
      {result ? (
        result.status === "ok" ? (
          <p className="notice success" role="status">
            {t("unsubscribe.done")}
          </p>
        ) : (
          <p className="form-error" role="alert">
            {t(result.formError?.key ?? "unsubscribe.invalid", result.formError?.values)}
          </p>
        )
      ) : valid ? (
        <Form method="post" className="stack">
          <p>{t("unsubscribe.lead")}</p>
          <div>
            <button type="submit" className="button">
              {t("unsubscribe.confirm")}
            </button>
          </div>
        </Form>
      ) : (
        <p className="form-error" role="alert">
          {t("unsubscribe.invalid")}
        </p>
      )}
    </div>
  );
}
