import { TableScroll } from "~/components/table-scroll";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "~/auth/auth.server";
import { SelectField } from "~/components/fields";
import { Pager } from "~/components/coverage/pager";
import { listOutbox, retryMessage } from "~/email/outbox.server";
import { getEnv } from "~/utils/env.server";
import { formatDate } from "~/utils/format";
import { done, refused } from "~/utils/forms";
import { readForm } from "~/utils/read-form.server";
import { badRequest } from "~/utils/route.server";
import { pageTitle } from "~/utils/meta";

// Every email the platform wrote, for admins. Without SMTP_URL this is where
// messages wait (an admin passes the link on by hand); with it, where a
// failed delivery shows the server's reply and can be sent again.

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "outbox") },
  { name: "robots", content: "noindex" },
];

const PAGE_SIZE = 50;
const STATUSES = ["STORED", "QUEUED", "SENT", "FAILED"] as const;

const Query = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["ADMIN"]);
  const url = new URL(request.url);
  const query = Query.parse(Object.fromEntries(url.searchParams));
  const { total, messages } = await listOutbox({
    status: query.status,
    q: query.q || undefined,
    skip: (query.page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
  });
  return {
    mail: getEnv().mail,
    status: query.status ?? "",
    q: query.q ?? "",
    page: query.page,
    total,
    messages: messages.map((m) => ({
      ...m,
      createdAt: m.createdAt.toISOString(),
      sentAt: m.sentAt?.toISOString() ?? null,
    })),
  };
}

const RetryForm = z.object({ intent: z.literal("retry"), messageId: z.string().min(1).max(64) });

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, ["ADMIN"]);
  const parsed = RetryForm.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw badRequest();
  const outcome = await retryMessage(parsed.data.messageId);
  return outcome === "queued" ? done() : refused(`admin:outbox.${outcome}`);
}

export default function Outbox() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation("admin");
  const id = useId();
  return (
    <div className="page">
      <h1>{t("outbox.title")}</h1>
      <p className="lead">{t(data.mail === "smtp" ? "outbox.leadSmtp" : "outbox.leadStored")}</p>
      {result?.status === "ok" ? (
        <p className="notice success" role="status">
          {t("outbox.retried")}
        </p>
      ) : null}
      {result?.status === "invalid" && result.formError ? (
        <p className="form-error" role="alert">
          {t(result.formError.key, result.formError.values)}
        </p>
      ) : null}
      <Form method="get" className="coverage-controls" role="search">
        <div className="field">
          <label htmlFor={`${id}-q`}>{t("outbox.search")}</label>
          <input id={`${id}-q`} type="search" name="q" defaultValue={data.q} maxLength={100} />
        </div>
        <SelectField
          label={t("outbox.status")}
          name="status"
          defaultValue={data.status}
          options={[
            { value: "", label: t("outbox.all") },
            ...STATUSES.map((s) => ({ value: s, label: t(`outbox.statuses.${s}`) })),
          ]}
        />
        <div>
          <button type="submit" className="button secondary">
            {t("outbox.filter")}
          </button>
        </div>
      </Form>
      <p className="meta">{t("outbox.count", { count: data.total })}</p>
      {data.messages.length === 0 ? (
        <p>{t("outbox.empty")}</p>
      ) : (
        <TableScroll label={t("outbox.caption")}>
          <table className="table">
            <caption>{t("outbox.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("outbox.created")}</th>
                <th scope="col">{t("outbox.to")}</th>
                <th scope="col">{t("outbox.subject")}</th>
                <th scope="col">{t("outbox.status")}</th>
              </tr>
            </thead>
            <tbody>
              {data.messages.map((m) => (
                <tr key={m.id}>
                  <td>{formatDate(m.createdAt, i18n.language)}</td>
                  <td>{m.toName ? `${m.toName} <${m.toEmail}>` : m.toEmail}</td>
                  <td>
                    <details>
                      <summary>{m.subject}</summary>
                      <pre className="email-text">{m.text}</pre>
                    </details>
                  </td>
                  <td>
                    <span className={`badge email-${m.status.toLowerCase()}`}>{t(`outbox.statuses.${m.status}`)}</span>
                    {m.attempts > 0 ? (
                      <div className="meta">
                        {t("outbox.attempts")}: {m.attempts}
                      </div>
                    ) : null}
                    {m.lastError ? (
                      <div className="meta">
                        {t("outbox.reply")}: <code>{m.lastError}</code>
                      </div>
                    ) : null}
                    {m.status === "FAILED" && data.mail === "smtp" ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="retry" />
                        <input type="hidden" name="messageId" value={m.id} />
                        <button type="submit" className="button secondary small">
                          {t("outbox.retry")}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pager page={data.page} total={data.total} pageSize={PAGE_SIZE} />
    </div>
  );
}
