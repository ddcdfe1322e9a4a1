import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SCHEME_START } from "~/catalog/conventions";
import { coveragePage, groupChoice } from "~/coverage/page.server";
import { parseCoverageQuery, type CoverageQuery } from "~/coverage/query";
import { previewReminder, REMINDER_INTERVAL_DAYS, sendReminders, type ReminderList } from "~/coverage/reminders.server";
import { requireCoverageActor } from "~/coverage/scope.server";
import { localized } from "~/i18n";
import { formatDate } from "~/utils/format";
import { readForm } from "~/utils/read-form.server";
import { notFound } from "~/utils/route.server";
import { refused } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

// The reminder to a follow-up list: what the message says, how many it
// reaches and who it leaves out; "send" starts a job and shows its progress.

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "sendReminders") }];

function listOf(query: CoverageQuery, groupCode: string): ReminderList {
  return {
    groupCode,
    day: query.day,
    provinceId: query.province,
    formerProvinceId: query.former,
    agencyId: query.agency,
  };
}

const KEEP = ["asOf", "group", "province", "former", "agency"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, query } = await coveragePage(request);
  const { chosen } = await groupChoice(query);
  if (!chosen) throw notFound();
  const preview = await previewReminder(actor, listOf(query, chosen.code));
  const params: Record<string, string> = { asOf: query.asOfIso, group: chosen.code };
  for (const key of ["province", "former", "agency"] as const) if (query[key]) params[key] = query[key];
  return {
    preview,
    params,
    asOf: query.asOfIso,
    interval: REMINDER_INTERVAL_DAYS,
    asOfProblem: query.asOfProblem,
    asOfInput: query.asOfInput,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, actor } = await requireCoverageActor(request);
  // The list comes from the same fields the preview was shown for.
  const url = new URL(request.url);
  const form = await readForm(request);
  for (const key of KEEP) {
    const value = form.get(key);
    if (typeof value === "string" && value) url.searchParams.set(key, value);
  }
  const query = parseCoverageQuery(url);
  const { chosen } = await groupChoice(query);
  if (!chosen) throw notFound();
  const outcome = await sendReminders(actor, user.id, listOf(query, chosen.code));
  if (!outcome.ok) return refused(`reminders.${outcome.reason}`);
  return redirect(`/coverage/reminders/${outcome.jobId}`);
}

export default function ReminderPreview() {
  const { preview, params, asOf, interval, asOfProblem, asOfInput } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation("operations");
  const lang = i18n.language;
  const group = preview.group;
  const back = `/coverage/follow-up?${new URLSearchParams(params)}`;
  return (
    <>
      <h1>{t("reminders.title")}</h1>
      {asOfProblem ? (
        // This page has no date field: the follow-up list it came from has. The list below is today's.
        <p className="notice warning" role="alert">
          {t(`coverage:asOf.problem.${asOfProblem}`, { value: asOfInput ?? "", start: formatDate(SCHEME_START, lang) })}{" "}
          {t("coverage:asOf.showingToday", { date: formatDate(asOf, lang) })}
        </p>
      ) : null}
      <p className="lead">
        {t("reminders.lead", {
          group: group ? localized(lang, group.nameVi, group.nameEn) : "",
          date: formatDate(asOf, lang),
        })}
      </p>
      <section aria-labelledby="reach-heading" className="card">
        <h2 id="reach-heading">{t("reminders.reachHeading")}</h2>
        <p role="status" className="reminder-reach">
          <strong>{t("reminders.reach", { count: preview.reach })}</strong>
        </p>
        <table className="table">
          <caption className="visually-hidden">{t("reminders.countsCaption")}</caption>
          <tbody>
            <tr>
              <th scope="row">{t("reminders.untrained")}</th>
              <td className="num">{preview.untrained.toLocaleString(lang)}</td>
            </tr>
            <tr>
              <th scope="row">{t("reminders.excluded.noEmail")}</th>
              <td className="num">{preview.excluded.noEmail.toLocaleString(lang)}</td>
            </tr>
            <tr>
              <th scope="row">{t("reminders.excluded.recent", { days: interval })}</th>
              <td className="num">{preview.excluded.recent.toLocaleString(lang)}</td>
            </tr>
            <tr>
              <th scope="row">{t("reminders.excluded.optedOut")}</th>
              <td className="num">{preview.excluded.optedOut.toLocaleString(lang)}</td>
            </tr>
            <tr>
              <th scope="row">{t("reminders.willReceive")}</th>
              <td className="num">
                <strong>{preview.reach.toLocaleString(lang)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
      </section>
      {preview.message ? (
        <section aria-labelledby="message-heading" className="card">
          <h2 id="message-heading">{t("reminders.messageHeading")}</h2>
          <p className="meta">{t("reminders.messageNote")}</p>
          <p>
            <strong>{t("reminders.subject")}:</strong> {preview.message.invite.subject}
          </p>
          <h3>{t("reminders.inviteVariant")}</h3>
          <pre className="email-text">{preview.message.invite.text}</pre>
          <details>
            <summary>{t("reminders.linkedVariant")}</summary>
            <pre className="email-text">{preview.message.linked.text}</pre>
          </details>
        </section>
      ) : null}
      {result?.status === "invalid" && result.formError ? (
        <p className="form-error" role="alert">
          {t(result.formError.key, result.formError.values)}
        </p>
      ) : null}
      <Form method="post" className="stack">
        {Object.entries(params).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <div>
          <button type="submit" className="button" disabled={busy || preview.reach === 0}>
            {t("reminders.send", { count: preview.reach })}
          </button>{" "}
          <Link to={back}>{t("reminders.back")}</Link>
        </div>
      </Form>
    </>
  );
}
