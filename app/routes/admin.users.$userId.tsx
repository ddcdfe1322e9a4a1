import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SelectField } from "~/components/fields";
import { FormAlert, ScopeFields, ScopeText, StatusBadges } from "~/components/people/scope-fields";
import { parseAuditDetails } from "~/audit/audit.server";
import { fallbackLang, localized } from "~/i18n";
import { Localized } from "~/components/localized-text";
import { clientIp } from "~/load-context";
import { OwnerFormSchema, RoleFormSchema, scopeRequest } from "~/people/forms";
import { canOwnCourses, ROLES } from "~/people/rules";
import {
  addCourseOwner,
  changeRoleAndScope,
  coursesForOwnership,
  deactivateUser,
  getUserDetails,
  reactivateUser,
  removeCourseOwner,
  requirePeopleAdmin,
  scopeChoices,
  sendPasswordReset,
  unlockUser,
  type PeopleResult,
} from "~/people/users.server";
import { getEnv } from "~/utils/env.server";
import { formatDate } from "~/utils/format";
import { done, errorsOf, invalid, refused, type ActionResult, type Notice } from "~/utils/forms";
import { readForm } from "~/utils/read-form.server";
import { badRequest, notFound } from "~/utils/route.server";
import { metaTitles } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const titles = metaTitles(matches);
  return [{ title: `${data?.user.name ?? titles.user} · ${titles.site}` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePeopleAdmin(request);
  const details = await getUserDetails(actor, params.userId ?? "");
  if (!details) throw notFound();
  const [choices, courses] = await Promise.all([scopeChoices(), coursesForOwnership(actor)]);
  const owned = new Set(details.ownedCourses.map((o) => o.course.id));
  return {
    user: {
      id: details.id,
      name: details.name,
      email: details.email,
      role: details.role,
      locale: details.locale,
      scopeProvinceId: details.scopeProvinceId,
      scopeAgencyId: details.scopeAgencyId,
      scopeProvince: details.scopeProvince,
      scopeAgency: details.scopeAgency,
      deactivatedAt: details.deactivatedAt?.toISOString() ?? null,
      verified: details.emailVerifiedAt !== null,
      createdAt: details.createdAt.toISOString(),
      throttledMinutes: details.throttledMinutes,
    },
    ownedCourses: details.ownedCourses.map((o) => ({ ...o.course, role: o.role, owners: o.course._count.owners })),
    courses: courses.filter((c) => !owned.has(c.id)),
    audit: details.audit.map((a) => ({
      id: a.id,
      at: a.at.toISOString(),
      action: a.action,
      actorEmail: a.actorEmail,
      details: parseAuditDetails(a.details),
    })),
    choices,
  };
}

/** The page's answer to one of its forms: the notice to show, or why not. */
function answer(
  intent: string,
  result: PeopleResult,
  notice: string,
  values: Record<string, string> = {},
): ActionResult<Notice> {
  return result.ok ? done({ notice, values }, intent) : refused(`errors.${result.error}`, undefined, intent);
}

export async function action({ request, params, context }: ActionFunctionArgs): Promise<ActionResult<Notice>> {
  const actor = await requirePeopleAdmin(request);
  const userId = params.userId ?? "";
  const form = Object.fromEntries(await readForm(request));
  const intent = String(form.intent ?? "");
  const ip = { ip: clientIp(context) };
  let result: ActionResult<Notice>;
  switch (intent) {
    case "role": {
      const parsed = RoleFormSchema.safeParse(form);
      if (!parsed.success) return invalid(parsed.error, intent);
      const changed = await changeRoleAndScope(
        actor,
        { id: userId },
        { role: parsed.data.role, scope: scopeRequest(parsed.data) },
        ip,
      );
      result = answer(intent, changed, changed.ok && !changed.changed ? "details.unchanged" : "details.saved");
      break;
    }
    case "deactivate":
      result = answer(intent, await deactivateUser(actor, userId, ip), "details.deactivated");
      break;
    case "reactivate":
      result = answer(intent, await reactivateUser(actor, userId, ip), "details.reactivated");
      break;
    case "unlock":
      result = answer(intent, await unlockUser(actor, userId, ip), "details.unlocked");
      break;
    case "reset": {
      const sent = await sendPasswordReset(actor, userId, ip);
      result = answer(
        intent,
        sent,
        getEnv().mail === "smtp" ? "details.resetSent" : "details.resetStored",
        sent.ok ? { email: sent.email } : {},
      );
      break;
    }
    case "addOwner": {
      const parsed = OwnerFormSchema.safeParse(form);
      if (!parsed.success) return invalid(parsed.error, intent);
      const added = await addCourseOwner(
        actor,
        userId,
        { course: parsed.data.course, role: parsed.data.ownerRole },
        ip,
      );
      result = answer(intent, added, "details.ownerAdded", added.ok ? { course: added.course } : {});
      break;
    }
    case "removeOwner": {
      const removed = await removeCourseOwner(actor, userId, String(form.course ?? ""), ip);
      result = answer(intent, removed, "details.ownerRemoved", removed.ok ? { course: removed.course } : {});
      break;
    }
    default:
      throw badRequest();
  }
  if (result.status === "invalid" && result.formError?.key === "errors.notFound") throw notFound();
  return result;
}

/** The notice or refusal of the form that was sent, if it is this one. */
function Outcome({ data, intent }: { data: ActionResult<Notice> | undefined; intent: string }) {
  const { t } = useTranslation("people");
  if (data?.intent !== intent) return null;
  if (data.status === "ok") {
    return (
      <p className="notice success" role="status">
        {t(data.data.notice, data.data.values ?? {})}
      </p>
    );
  }
  return <FormAlert result={data} />;
}

type AuditRow = ReturnType<typeof useLoaderData<typeof loader>>["audit"][number];

function AuditSummary({ entry }: { entry: AuditRow }) {
  const { t } = useTranslation("people");
  const { choices } = useLoaderData<typeof loader>();
  const d = entry.details;
  const unit = (scope: unknown) => {
    const s = (scope ?? {}) as { provinceId?: string | null; agencyId?: string | null };
    const province = choices.provinces.find((p) => p.id === s.provinceId);
    const agency = choices.agencies.find((a) => a.id === s.agencyId);
    if (province) return <Localized vi={province.nameVi} en={province.nameEn} />;
    if (agency) return <Localized vi={agency.nameVi} en={agency.nameEn} />;
    return s.provinceId || s.agencyId ? "?" : t("scope.national");
  };
  switch (entry.action) {
    case "user.role":
      return <>{`${t(`role.${String(d.from)}`)} → ${t(`role.${String(d.to)}`)}`}</>;
    case "user.scope":
      return (
        <>
          {unit(d.from)} → {unit(d.to)}
        </>
      );
    case "user.invite":
    case "user.create":
      return (
        <>
          {t(`role.${String(d.role)}`)}, {unit(d)}
        </>
      );
    case "course.owner_add":
    case "course.owner_remove":
      return <>{`${String(d.course)} (${t(`details.ownerRoles.${String(d.role)}`)})`}</>;
    default:
      return null;
  }
}

export default function PersonDetails() {
  const { user, ownedCourses, courses, audit, choices } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t, i18n } = useTranslation("people");
  const lang = i18n.language;
  const roleErrors = result?.intent === "role" ? errorsOf(result) : {};
  const ownerErrors = result?.intent === "addOwner" ? errorsOf(result) : {};
  return (
    <div className="page">
      <p>
        <Link to="/admin/users">← {t("details.back")}</Link>
      </p>
      <h1>{user.name}</h1>

      <section className="card" aria-labelledby="facts">
        <h2 id="facts">{t("details.facts")}</h2>
        <dl className="facts">
          <div>
            <dt>{t("details.email")}</dt>
            <dd>{user.email}</dd>
          </div>
          <div>
            <dt>{t("details.role")}</dt>
            <dd>{t(`role.${user.role}`)}</dd>
          </div>
          <div>
            <dt>{t("details.scope")}</dt>
            <dd>
              <ScopeText province={user.scopeProvince} agency={user.scopeAgency} />
            </dd>
          </div>
          <div>
            <dt>{t("details.status")}</dt>
            <dd>
              <StatusBadges
                deactivated={user.deactivatedAt !== null}
                throttled={user.throttledMinutes > 0}
                verified={user.verified}
              />
            </dd>
          </div>
          <div>
            <dt>{t("details.language")}</dt>
            <dd>{t(`languages.${user.locale === "en" ? "en" : "vi"}`)}</dd>
          </div>
          <div>
            <dt>{t("details.verified")}</dt>
            <dd>{t(user.verified ? "details.yes" : "details.no")}</dd>
          </div>
          <div>
            <dt>{t("details.created")}</dt>
            <dd>{formatDate(user.createdAt, lang)}</dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="role-heading">
        <h2 id="role-heading">{t("details.roleTitle")}</h2>
        <Outcome data={result} intent="role" />
        <Form
          method="post"
          className="stack narrow-form"
          key={`${user.role}-${user.scopeProvinceId}-${user.scopeAgencyId}`}
        >
          <input type="hidden" name="intent" value="role" />
          <SelectField
            name="role"
            label={t("details.role")}
            defaultValue={user.role}
            error={roleErrors.role}
            options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
          <ScopeFields
            choices={choices}
            provinceId={user.scopeProvinceId}
            agencyId={user.scopeAgencyId}
            errors={roleErrors}
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("details.save")}
            </button>
          </div>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="access-heading">
        <h2 id="access-heading">{t("details.accessTitle")}</h2>
        <div className="stack">
          {/* The notice of the change just made shows above the button that undoes it. */}
          <Outcome data={result} intent={user.deactivatedAt ? "deactivate" : "reactivate"} />
          {user.deactivatedAt ? (
            <>
              <Outcome data={result} intent="reactivate" />
              <p>{t("details.deactivatedOn", { date: formatDate(user.deactivatedAt, lang) })}</p>
              <Form method="post">
                <input type="hidden" name="intent" value="reactivate" />
                <button type="submit" className="button" disabled={busy}>
                  {t("details.reactivate")}
                </button>
              </Form>
            </>
          ) : (
            <>
              <Outcome data={result} intent="deactivate" />
              <p className="meta" id="deactivate-hint">
                {t("details.deactivateHint")}
              </p>
              <Form method="post">
                <input type="hidden" name="intent" value="deactivate" />
                <button type="submit" className="button secondary" aria-describedby="deactivate-hint" disabled={busy}>
                  {t("details.deactivate")}
                </button>
              </Form>
            </>
          )}
        </div>
        <div className="stack">
          <Outcome data={result} intent="unlock" />
          <p>
            {user.throttledMinutes > 0
              ? t("details.throttledNow", { count: user.throttledMinutes })
              : t("details.notThrottled")}
          </p>
          {user.throttledMinutes > 0 ? (
            <Form method="post">
              <input type="hidden" name="intent" value="unlock" />
              <button type="submit" className="button" disabled={busy}>
                {t("details.unlock")}
              </button>
            </Form>
          ) : null}
        </div>
        <div className="stack">
          <Outcome data={result} intent="reset" />
          <p className="meta" id="reset-hint">
            {t("details.resetHint")}
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="reset" />
            <button
              type="submit"
              className="button"
              aria-describedby="reset-hint"
              disabled={busy || user.deactivatedAt !== null}
            >
              {t("details.reset")}
            </button>
          </Form>
        </div>
      </section>

      <section className="card" aria-labelledby="courses-heading">
        <h2 id="courses-heading">{t("details.coursesTitle")}</h2>
        <Outcome data={result} intent="removeOwner" />
        {ownedCourses.length === 0 ? (
          <p className="empty">{t("details.noCourses")}</p>
        ) : (
          <table className="table">
            <caption className="visually-hidden">{t("details.coursesCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("details.course")}</th>
                <th scope="col">{t("details.ownerRole")}</th>
                <th scope="col">{t("details.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {ownedCourses.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/teach/courses/${c.id}`}>
                      <Localized vi={c.title} en={c.titleEn} />
                    </Link>{" "}
                    <span className="badge">{c.code}</span>
                  </th>
                  <td>{t(`details.ownerRoles.${c.role}`)}</td>
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="removeOwner" />
                      <input type="hidden" name="course" value={c.id} />
                      <button
                        type="submit"
                        className="link-button"
                        aria-label={t("details.removeLabel", { course: c.code })}
                        disabled={busy}
                      >
                        {t("details.remove")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canOwnCourses(user.role) ? (
          <>
            <Outcome data={result} intent="addOwner" />
            <Form method="post" className="stack narrow-form">
              <input type="hidden" name="intent" value="addOwner" />
              <SelectField
                name="course"
                label={t("details.course")}
                error={ownerErrors.course}
                defaultValue=""
                options={[
                  { value: "", label: t("details.selectCourse") },
                  ...[...ownedCourses, ...courses].map((c) => ({
                    value: c.id,
                    label: `${localized(lang, c.title, c.titleEn)} (${c.code})`,
                    lang: fallbackLang(lang, c.titleEn),
                  })),
                ]}
              />
              <SelectField
                name="ownerRole"
                label={t("details.ownerRole")}
                defaultValue="CO_OWNER"
                error={ownerErrors.ownerRole}
                options={(["OWNER", "CO_OWNER"] as const).map((r) => ({
                  value: r,
                  label: t(`details.ownerRoles.${r}`),
                }))}
              />
              <div>
                <button type="submit" className="button" disabled={busy}>
                  {t("details.addOwner")}
                </button>
              </div>
            </Form>
          </>
        ) : (
          <p className="meta">{t("details.cannotOwnHint")}</p>
        )}
      </section>

      <section className="card" aria-labelledby="audit-heading">
        <h2 id="audit-heading">{t("audit.title")}</h2>
        {audit.length === 0 ? (
          <p className="empty">{t("audit.empty")}</p>
        ) : (
          <table className="table">
            <caption className="visually-hidden">{t("audit.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("audit.at")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.details")}</th>
                <th scope="col">{t("audit.by")}</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    {new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "vi-VN", {
                      dateStyle: "medium",
                      timeStyle: "short",
                      timeZone: "Asia/Ho_Chi_Minh",
                    }).format(new Date(entry.at))}
                  </td>
                  <td>{t(`audit.actions.${entry.action}`, { defaultValue: entry.action })}</td>
                  <td>
                    <AuditSummary entry={entry} />
                  </td>
                  <td>{entry.actorEmail === "cli" ? t("audit.cli") : (entry.actorEmail ?? "—")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
