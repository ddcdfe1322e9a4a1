import { TableScroll } from "~/components/table-scroll";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Pager } from "~/components/coverage/pager";
import { SelectField } from "~/components/fields";
import { FormAlert, ScopeFields, ScopeText, StatusBadges } from "~/components/people/scope-fields";
import { TextField } from "~/components/text-field";
import { fallbackLang, localized } from "~/i18n";
import { clientIp } from "~/load-context";
import { InviteFormSchema, parseUserListQuery, scopeRequest } from "~/people/forms";
import { ROLES, scopeFilterValue, USER_STATUSES, USERS_PAGE_SIZE } from "~/people/rules";
import { inviteUser, listUsers, requirePeopleAdmin, scopeChoices } from "~/people/users.server";
import { getEnv } from "~/utils/env.server";
import { done, errorsOf, invalid, refused, type ActionResult } from "~/utils/forms";
import { readForm } from "~/utils/read-form.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "users") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePeopleAdmin(request);
  const query = parseUserListQuery(new URL(request.url));
  const [list, choices] = await Promise.all([listUsers(actor, query), scopeChoices()]);
  return {
    total: list.total,
    page: list.page,
    users: list.users.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      role: u.role,
      scopeProvince: u.scopeProvince,
      scopeAgency: u.scopeAgency,
      deactivated: u.deactivatedAt !== null,
      verified: u.emailVerifiedAt !== null,
      throttled: u.throttled,
    })),
    filters: {
      q: query.q ?? "",
      role: query.role ?? "",
      scope: query.scope ? scopeFilterValue(query.scope) : "",
      status: query.status ?? "",
    },
    choices,
  };
}

export async function action({
  request,
  context,
}: ActionFunctionArgs): Promise<ActionResult<{ notice: string; email: string; userId: string }>> {
  const actor = await requirePeopleAdmin(request);
  const parsed = InviteFormSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return invalid(parsed.error);
  const result = await inviteUser(
    actor,
    { ...parsed.data, scope: scopeRequest(parsed.data) },
    { ip: clientIp(context) },
  );
  if (!result.ok) {
    const field = { emailTaken: "email", unknownProvince: "province", unknownAgency: "agency" }[result.error as string];
    return {
      ...refused(`errors.${result.error}`),
      fieldErrors: field ? { [field]: `people:errors.${result.error}` } : {},
    };
  }
  return done({
    notice: getEnv().mail === "smtp" ? "invite.sent" : "invite.stored",
    email: parsed.data.email,
    userId: result.userId,
  });
}

function Filters({ filters, choices }: Pick<ReturnType<typeof useLoaderData<typeof loader>>, "filters" | "choices">) {
  const { t, i18n } = useTranslation("people");
  const id = useId();
  return (
    <Form method="get" className="coverage-controls" role="search" aria-label={t("list.filters")}>
      {/* Labels here avoid the invitation form's words ("Email"), so each label names one control. */}
      <div className="field">
        <label htmlFor={`${id}-q`}>{t("list.search")}</label>
        <input
          id={`${id}-q`}
          type="search"
          name="q"
          defaultValue={filters.q}
          maxLength={100}
          aria-describedby={`${id}-q-hint`}
        />
        <p className="hint" id={`${id}-q-hint`}>
          {t("list.searchHint")}
        </p>
      </div>
      <SelectField
        label={t("list.roleFilter")}
        name="role"
        defaultValue={filters.role}
        options={[{ value: "", label: t("list.all") }, ...ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))]}
      />
      <div className="field">
        <label htmlFor={`${id}-scope`}>{t("list.scopeFilter")}</label>
        <select id={`${id}-scope`} name="scope" defaultValue={filters.scope}>
          <option value="">{t("list.all")}</option>
          <option value="national">{t("scope.national")}</option>
          <optgroup label={t("scope.provincesGroup")}>
            {choices.provinces.map((p) => (
              <option key={p.code} value={`province:${p.code}`} lang={fallbackLang(i18n.language, p.nameEn)}>
                {localized(i18n.language, p.nameVi, p.nameEn)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t("scope.agenciesGroup")}>
            {choices.agencies.map((a) => (
              <option key={a.code} value={`agency:${a.code}`} lang={fallbackLang(i18n.language, a.nameEn)}>
                {localized(i18n.language, a.nameVi, a.nameEn)}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <SelectField
        label={t("list.statusFilter")}
        name="status"
        defaultValue={filters.status}
        options={[
          { value: "", label: t("list.all") },
          ...USER_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
        ]}
      />
      <button type="submit" className="button">
        {t("list.filter")}
      </button>
    </Form>
  );
}

export default function PeopleList() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("people");
  const errors = errorsOf(result);
  return (
    <div className="page">
      <h1>{t("list.title")}</h1>
      <p className="lead">{t("list.lead")}</p>
      <Filters filters={data.filters} choices={data.choices} />
      <p className="meta" role="status">
        {t("list.count", { count: data.total })}
      </p>
      {data.users.length === 0 ? (
        <p className="empty">{t("list.empty")}</p>
      ) : (
        <TableScroll label={t("list.caption")}>
          <table className="table">
            <caption className="visually-hidden">{t("list.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("list.columns.name")}</th>
                <th scope="col">{t("list.columns.email")}</th>
                <th scope="col">{t("list.columns.role")}</th>
                <th scope="col">{t("list.columns.scope")}</th>
                <th scope="col">{t("list.columns.status")}</th>
              </tr>
            </thead>
            <tbody>
              {data.users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">
                    <Link to={`/admin/users/${u.id}`}>{u.name}</Link>
                  </th>
                  <td>{u.email}</td>
                  <td>{t(`role.${u.role}`)}</td>
                  <td>
                    <ScopeText province={u.scopeProvince} agency={u.scopeAgency} />
                  </td>
                  <td>
                    <StatusBadges deactivated={u.deactivated} throttled={u.throttled} verified={u.verified} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pager page={data.page} total={data.total} pageSize={USERS_PAGE_SIZE} />

      <section className="card" aria-labelledby="invite-heading">
        <h2 id="invite-heading">{t("invite.title")}</h2>
        <p className="meta">{t("invite.lead")}</p>
        {result?.status === "ok" ? (
          <p className="notice success" role="status">
            {t(result.data.notice, { email: result.data.email })}{" "}
            <Link to={`/admin/users/${result.data.userId}`}>{t("invite.open", { email: result.data.email })}</Link>
          </p>
        ) : null}
        <FormAlert result={result} />
        {/* A new key after each invitation empties the form for the next one. */}
        <Form method="post" className="stack narrow-form" key={result?.status === "ok" ? result.data.userId : "invite"}>
          <TextField
            name="email"
            type="email"
            label={t("invite.email")}
            autoComplete="off"
            required
            maxLength={254}
            error={errors.email}
          />
          <TextField
            name="name"
            label={t("invite.name")}
            autoComplete="off"
            required
            maxLength={120}
            error={errors.name}
          />
          <SelectField
            name="role"
            label={t("invite.role")}
            defaultValue="LEARNER"
            error={errors.role}
            options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
          <ScopeFields choices={data.choices} errors={errors} />
          <SelectField
            name="locale"
            label={t("invite.locale")}
            defaultValue="vi"
            error={errors.locale}
            options={[
              { value: "vi", label: t("languages.vi") },
              { value: "en", label: t("languages.en") },
            ]}
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("invite.submit")}
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}
