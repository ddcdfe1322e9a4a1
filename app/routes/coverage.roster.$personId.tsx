import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { vietnamDay } from "~/coverage/dates";
import { emailInvitation, issueInvite, unlinkAccount } from "~/coverage/link.server";
import { absoluteUrl } from "~/email/outbox.server";
import { getPerson } from "~/coverage/roster.server";
import { requireCoverageActor } from "~/coverage/scope.server";
import { voidTrainingRecord } from "~/coverage/training.server";
import { ReasonForm } from "~/components/coverage/reason-form";
import { TrainingRecords } from "~/components/coverage/training-records";
import { localized } from "~/i18n";
import { formatDate } from "~/utils/format";
import { done, errorsOf, invalid, refused, type ActionResult } from "~/utils/forms";
import { readForm } from "~/utils/read-form.server";
import { notFound, parseParams } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.person.fullName ?? ""} · Tập huấn` }];

const Params = z.object({ personId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireCoverageActor(request);
  const { personId } = parseParams(params, Params);
  // Someone outside the actor's scope is "not found", like someone who does not exist.
  const person = await getPerson(actor, personId, vietnamDay(new Date()));
  if (!person) throw notFound();
  // PUBLIC_URL, not the request's origin: behind a proxy that is an internal address.
  return { person, inviteUrl: person.inviteToken ? absoluteUrl(`/invite/${person.inviteToken}`) : null };
}

// A reason is required, short enough for the audit trail (whose details are cut at 500).
const Reason = z.string().trim().min(3).max(500);
const RecordId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create") }),
  z.object({ intent: z.literal("email") }),
  z.object({ intent: z.literal("unlink"), reason: Reason }),
  z.object({ intent: z.literal("void"), recordId: RecordId, reason: Reason }),
]);

/** What came of a form on this page; the intent names it ("void:<recordId>" for a record's). */
type Outcome = "created" | "queued" | "unlinked" | "notLinked" | "voided" | "alreadyVoided";
const voidForm = (recordId: string) => `void:${recordId}`;

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult<{ outcome: Outcome }>> {
  const { user, actor } = await requireCoverageActor(request);
  const parsed = Params.safeParse(params);
  // A body-less POST (a script, an old form) asks for a new link, as before.
  const form = await readForm(request);
  const fields = Object.fromEntries(form);
  const intent = Intent.safeParse({ intent: "create", ...fields });
  if (!parsed.success) throw notFound();
  if (!intent.success) {
    if (fields.intent === "unlink") return invalid({ reason: "coverage:person.unlinkReasonRequired" }, "unlink");
    const recordId = RecordId.safeParse(fields.recordId);
    if (fields.intent === "void" && recordId.success)
      return invalid({ reason: "coverage:person.voidReasonInvalid" }, voidForm(recordId.data));
    throw notFound();
  }
  const by = { id: user.id, email: user.email };
  const personId = parsed.data.personId;
  switch (intent.data.intent) {
    case "void": {
      const { recordId, reason } = intent.data;
      const outcome = await voidTrainingRecord(actor, { personId, recordId }, reason, by);
      if (outcome === "notFound") throw notFound();
      return done({ outcome }, voidForm(recordId));
    }
    case "unlink": {
      const outcome = await unlinkAccount(actor, personId, intent.data.reason, by);
      if (outcome === "notFound") throw notFound();
      return done({ outcome }, "unlink");
    }
    case "email": {
      const outcome = await emailInvitation(actor, personId, by);
      if (outcome === "notFound") throw notFound();
      if (outcome !== "queued") return refused(`coverage:person.inviteEmailed.${outcome}`, undefined, "email");
      return done({ outcome }, "email");
    }
    case "create":
      if (!(await issueInvite(actor, personId))) throw notFound();
      return done({ outcome: "created" }, "create");
  }
}

export default function PersonPage() {
  const { person, inviteUrl } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation("coverage");
  const lang = i18n.language;
  return (
    <>
      <p className="breadcrumbs no-print">
        <Link to="/coverage/roster">{t("roster.title")}</Link> › {person.personnelCode}
      </p>
      <div className="no-print">
        <h1>{person.fullName}</h1>
        <dl className="facts">
          <div>
            <dt>{t("columns.personnelCode")}</dt>
            <dd>{person.personnelCode}</dd>
          </div>
          <div>
            <dt>{t("columns.agency")}</dt>
            <dd>{person.agency}</dd>
          </div>
          <div>
            <dt>{t("columns.province")}</dt>
            <dd>
              {person.province}
              {person.provinceRaw !== person.province ? <span className="meta"> ({person.provinceRaw})</span> : null}
            </dd>
          </div>
          {person.position ? (
            <div>
              <dt>{t("columns.position")}</dt>
              <dd>{person.position}</dd>
            </div>
          ) : null}
          {person.email ? (
            <div>
              <dt>{t("columns.email")}</dt>
              <dd>{person.email}</dd>
            </div>
          ) : null}
        </dl>

        <h2>{t("person.groups")}</h2>
        <table className="table">
          <caption className="visually-hidden">{t("person.groupsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("columns.group")}</th>
              <th scope="col">{t("columns.joinedOn")}</th>
              <th scope="col">{t("columns.leftOn")}</th>
              <th scope="col">{t("columns.status")}</th>
            </tr>
          </thead>
          <tbody>
            {person.groups.map((g) => (
              <tr key={g.code}>
                <th scope="row">{localized(lang, g.nameVi, g.nameEn)}</th>
                <td>{g.joinedOn ? formatDate(g.joinedOn, lang) : "—"}</td>
                <td>{g.leftOn ? formatDate(g.leftOn, lang) : "—"}</td>
                <td>
                  <span className={`badge ${g.status === "trainedToday" ? "success" : ""}`}>
                    {t(`person.${g.status}`)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>

        <h2>{t("person.records")}</h2>
        {person.records.length === 0 ? (
          <p className="empty">{t("person.noRecords")}</p>
        ) : (
          <TrainingRecords records={person.records} result={result} />
        )}

        <h2>{t("person.account")}</h2>
        {result?.status === "ok" && result.data.outcome === "unlinked" ? (
          <p className="notice success" role="status">
            {t("person.unlinked")}
          </p>
        ) : null}
        {/* The account's address only once the person has linked it themselves. */}
        <p>{person.linked ? t("person.linkedTo", { email: person.accountEmail }) : t("person.notLinked")}</p>
        {person.linked ? (
          <ReasonForm
            className="unlink"
            fields={{ intent: "unlink" }}
            lead={t("person.unlinkLead")}
            label={t("person.unlinkReason")}
            error={result?.intent === "unlink" && errorsOf(result).reason ? t(errorsOf(result).reason!) : null}
            submit={t("person.unlink")}
          />
        ) : null}
      </div>

      {!person.linked ? (
        <section className="card invite" aria-labelledby="invite-heading">
          <h2 id="invite-heading" className="no-print">
            {t("person.invite")}
          </h2>
          <p className="no-print">{t("person.inviteLead")}</p>
          {result?.intent === "email" ? (
            <p
              className={`no-print ${result.status === "ok" ? "notice success" : "form-error"}`}
              role={result.status === "ok" ? "status" : "alert"}
            >
              {t(
                result.status === "ok"
                  ? "person.inviteEmailed.queued"
                  : (result.formError?.key ?? "person.inviteEmailed.noEmail"),
                { email: person.email ?? "" },
              )}
            </p>
          ) : null}
          {person.email ? (
            <Form method="post" className="no-print">
              <input type="hidden" name="intent" value="email" />
              <button type="submit" className="button small">
                {t("person.inviteSendEmail", { email: person.email })}
              </button>
            </Form>
          ) : null}
          {inviteUrl ? (
            <>
              <div className="print-only">
                <h1>{t("person.invitePrintHeading")}</h1>
                <p>
                  {t("person.invitePrintBody", {
                    name: person.fullName,
                    agency: person.agency,
                    province: person.province,
                  })}
                </p>
              </div>
              <p>
                <span className="no-print">{t("person.inviteLink")}: </span>
                <code className="invite-url">{inviteUrl}</code>
              </p>
              <p className="no-print invite-actions">
                <button type="button" className="button secondary small" onClick={() => window.print()}>
                  {t("person.invitePrint")}
                </button>
              </p>
            </>
          ) : null}
          <Form method="post" className="no-print">
            <input type="hidden" name="intent" value="create" />
            <button type="submit" className="button secondary small">
              {inviteUrl ? t("person.inviteRenew") : t("person.inviteCreate")}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
