import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { requireRole } from "~/auth/auth.server";
import { TextField } from "~/components/text-field";
import { dayOfDate, isoOfDay, vietnamDay } from "~/coverage/dates";
import {
  addRuleVersion,
  createGroup,
  GroupFormSchema,
  listGroupsWithRules,
  NewGroupFormSchema,
  RuleFormSchema,
  updateGroup,
  WithdrawFormSchema,
  withdrawRuleVersion,
} from "~/coverage/groups.server";
import { parseCourseCodes } from "~/coverage/facts.server";
import { localized } from "~/i18n";
import { done, errorsOf, fieldErrors, invalid, refused, type ActionResult, type FieldErrors } from "~/utils/forms";
import { formatDate } from "~/utils/format";
import { readForm } from "~/utils/read-form.server";
import { badRequest, notFound } from "~/utils/route.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "targetGroups") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["ADMIN"]);
  const groups = await listGroupsWithRules();
  return {
    today: isoOfDay(vietnamDay(new Date())),
    groups: groups.map((g) => ({
      code: g.code,
      nameVi: g.nameVi,
      nameEn: g.nameEn,
      targetPercent: g.targetPercent,
      deadline: isoOfDay(dayOfDate(g.deadline)),
      members: g._count.memberships,
      rules: g.rules.map((r) => ({
        id: r.id,
        kind: r.kind,
        minCount: r.minCount,
        courseCodes: parseCourseCodes(r.courseCodes),
        schemeStart: isoOfDay(dayOfDate(r.schemeStart)),
        validFrom: isoOfDay(dayOfDate(r.validFrom)),
        createdBy: r.createdBy?.name ?? null,
        createdAt: r.createdAt.toISOString(),
        withdrawn: r.withdrawnAt
          ? {
              at: r.withdrawnAt.toISOString(),
              by: r.withdrawnBy?.name ?? r.withdrawnBy?.email ?? null,
              reason: r.withdrawnReason ?? "",
            }
          : null,
      })),
    })),
  };
}

// Form errors are keys in the coverage namespace.
function coverageErrors(error: z.ZodError): FieldErrors {
  return Object.fromEntries(Object.entries(fieldErrors(error)).map(([field, key]) => [field, `coverage:${key}`]));
}

// Each group has its own forms, and each rule version its withdraw form: the
// intent names the one that answers ("group:HR_WORK", "withdraw:<ruleId>").
const groupForm = (code: string) => `group:${code}`;
const ruleForm = (code: string) => `rule:${code}`;
const withdrawForm = (ruleId: string) => `withdraw:${ruleId}`;

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult<{ notice: string }>> {
  const user = await requireRole(request, ["ADMIN"]);
  const actor = { id: user.id, email: user.email };
  const form = Object.fromEntries(await readForm(request));
  const intent = String(form.intent ?? "");
  const code = String(form.code ?? "");
  if (intent === "group") {
    const parsed = GroupFormSchema.safeParse(form);
    if (!parsed.success) return invalid(coverageErrors(parsed.error), groupForm(code));
    await updateGroup(code, parsed.data, actor).catch(() => {
      throw notFound();
    });
    return done({ notice: "admin.saved" }, groupForm(code));
  }
  if (intent === "rule") {
    const parsed = RuleFormSchema.safeParse(form);
    if (!parsed.success) return invalid(coverageErrors(parsed.error), ruleForm(code));
    if (!(await addRuleVersion(code, parsed.data, actor))) throw notFound();
    return done({ notice: "admin.ruleAdded" }, ruleForm(code));
  }
  if (intent === "create") {
    const parsed = NewGroupFormSchema.safeParse(form);
    if (!parsed.success) return invalid(coverageErrors(parsed.error), "create");
    if ((await createGroup(parsed.data, actor)) === "exists")
      return invalid({ code: "coverage:validation.groupExists" }, "create");
    return done({ notice: "admin.created" }, "create");
  }
  if (intent === "withdraw") {
    const ruleId = String(form.ruleId ?? "");
    const parsed = WithdrawFormSchema.safeParse(form);
    if (!parsed.success) return invalid(parsed.error, withdrawForm(ruleId));
    const outcome = await withdrawRuleVersion(parsed.data.ruleId, parsed.data.reason, actor);
    if (outcome === "notFound") throw notFound();
    if (outcome !== "withdrawn") return refused(`operations:withdraw.${outcome}`, undefined, withdrawForm(ruleId));
    return done({ notice: "operations:withdraw.done" }, withdrawForm(ruleId));
  }
  throw badRequest();
}

type Result = Awaited<ReturnType<typeof action>> | undefined;

/** A withdraw button for one version, opening a form that asks why. */
function WithdrawForm({ group, rule, result }: { group: Group; rule: Group["rules"][number]; result: Result }) {
  const { t } = useTranslation("operations");
  const id = useId();
  const mine = result?.intent === withdrawForm(rule.id) ? result : undefined;
  const errors = errorsOf(mine);
  const formError = mine?.status === "invalid" ? mine.formError : undefined;
  const [open, setOpen] = useState(mine?.status === "invalid");
  if (!open) {
    return (
      <button
        type="button"
        className="link-button"
        onClick={() => setOpen(true)}
        aria-label={t("withdraw.buttonFor", { date: rule.validFrom })}
      >
        {t("withdraw.button")}
      </button>
    );
  }
  return (
    <Form method="post" className="stack withdraw-form">
      <input type="hidden" name="intent" value="withdraw" />
      <input type="hidden" name="code" value={group.code} />
      <input type="hidden" name="ruleId" value={rule.id} />
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t("withdraw.reason")}</label>
        <textarea
          id={`${id}-reason`}
          name="reason"
          required
          minLength={3}
          maxLength={500}
          rows={2}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={errors.reason ? `${id}-error` : undefined}
        />
        {errors.reason ? (
          <p id={`${id}-error`} className="field-error" role="alert">
            {t(errors.reason)}
          </p>
        ) : null}
      </div>
      {formError ? (
        <p className="form-error" role="alert">
          {t(formError.key, formError.values)}
        </p>
      ) : null}
      <div>
        <button type="submit" className="button small danger">
          {t("withdraw.confirm")}
        </button>{" "}
        <button type="button" className="link-button" onClick={() => setOpen(false)}>
          {t("withdraw.cancel")}
        </button>
      </div>
    </Form>
  );
}

type Group = Awaited<ReturnType<typeof loader>>["groups"][number];

function RuleForm({ group, result, today }: { group: Group; result: Result; today: string }) {
  const { t } = useTranslation("coverage");
  const id = useId();
  const current = group.rules.find((r) => !r.withdrawn) ?? group.rules[0];
  const [kind, setKind] = useState<string>(current?.kind ?? "ANY_TRAINING");
  const errors = result?.intent === ruleForm(group.code) ? errorsOf(result) : {};
  return (
    <Form method="post" className="stack rule-form">
      <input type="hidden" name="intent" value="rule" />
      <input type="hidden" name="code" value={group.code} />
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t("admin.kindLabel")}</label>
        <select id={`${id}-kind`} name="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          {(["ANY_TRAINING", "MIN_COUNT", "REQUIRED_COURSES"] as const).map((k) => (
            <option key={k} value={k}>
              {t(`admin.kindOption.${k}`)}
            </option>
          ))}
        </select>
      </div>
      {kind === "MIN_COUNT" ? (
        <TextField
          name="minCount"
          type="number"
          min={1}
          max={100}
          label={t("admin.minCount")}
          defaultValue={String(current?.minCount ?? 2)}
          error={errors.minCount}
        />
      ) : null}
      {kind === "REQUIRED_COURSES" ? (
        <TextField
          name="courseCodes"
          label={t("admin.courseCodes")}
          defaultValue={current?.courseCodes.join(", ")}
          error={errors.courseCodes}
        />
      ) : null}
      <TextField
        name="schemeStart"
        type="date"
        label={t("admin.schemeStart")}
        defaultValue={current?.schemeStart ?? "2023-01-01"}
        error={errors.schemeStart}
      />
      <TextField
        name="validFrom"
        type="date"
        label={t("admin.validFrom")}
        defaultValue={today}
        error={errors.validFrom}
      />
      <div>
        <button type="submit" className="button small">
          {t("admin.addRule")}
        </button>
      </div>
    </Form>
  );
}

export default function TargetGroupsAdmin() {
  const { groups, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t, i18n } = useTranslation("coverage");
  const lang = i18n.language;
  const describe = (r: Group["rules"][number]) =>
    t(`admin.kind.${r.kind}`, { count: r.minCount ?? 0, codes: r.courseCodes.join(", ") });
  return (
    <div className="page">
      <h1>{t("admin.title")}</h1>
      <p className="lead">{t("admin.lead")}</p>
      {result?.status === "ok" ? (
        <p className="notice success" role="status" aria-live="polite">
          {t(result.data.notice)}
        </p>
      ) : null}
      {groups.map((group) => {
        const errors = result?.intent === groupForm(group.code) ? errorsOf(result) : {};
        return (
          <section key={group.code} className="card admin-group" aria-labelledby={`group-${group.code}`}>
            <h2 id={`group-${group.code}`}>
              {localized(lang, group.nameVi, group.nameEn)} <span className="badge">{group.code}</span>
            </h2>
            <p className="meta">{t("admin.members", { count: group.members })}</p>
            <div className="admin-columns">
              <Form method="post" className="stack">
                <h3>{t("admin.edit")}</h3>
                <input type="hidden" name="intent" value="group" />
                <input type="hidden" name="code" value={group.code} />
                <TextField name="nameVi" label={t("admin.nameVi")} defaultValue={group.nameVi} error={errors.nameVi} />
                <TextField name="nameEn" label={t("admin.nameEn")} defaultValue={group.nameEn} error={errors.nameEn} />
                <TextField
                  name="targetPercent"
                  type="number"
                  step="0.1"
                  min={0}
                  max={100}
                  label={t("admin.targetPercent")}
                  defaultValue={String(group.targetPercent)}
                  error={errors.targetPercent}
                />
                <TextField
                  name="deadline"
                  type="date"
                  label={t("admin.deadline")}
                  defaultValue={group.deadline}
                  error={errors.deadline}
                />
                <div>
                  <button type="submit" className="button small" disabled={busy}>
                    {t("admin.save")}
                  </button>
                </div>
              </Form>
              <div>
                <h3>{t("admin.ruleHeading")}</h3>
                <table className="table">
                  <caption className="visually-hidden">{t("admin.rulesCaption", { group: group.code })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("admin.validFrom")}</th>
                      <th scope="col">{t("columns.rule")}</th>
                      <th scope="col">{t("admin.schemeStart")}</th>
                      <th scope="col">{t("admin.createdBy")}</th>
                      <th scope="col">{t("operations:withdraw.column")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {group.rules.map((r) => (
                      <tr key={r.id} className={r.withdrawn ? "withdrawn" : undefined}>
                        <th scope="row">
                          {r.withdrawn ? <s>{formatDate(r.validFrom, lang)}</s> : formatDate(r.validFrom, lang)}
                        </th>
                        <td>{r.withdrawn ? <s>{describe(r)}</s> : describe(r)}</td>
                        <td>
                          {r.withdrawn ? <s>{formatDate(r.schemeStart, lang)}</s> : formatDate(r.schemeStart, lang)}
                        </td>
                        <td>
                          {r.createdBy ?? "—"} <span className="meta">{formatDate(r.createdAt, lang)}</span>
                        </td>
                        <td>
                          {r.withdrawn ? (
                            <span className="meta">
                              {t("operations:withdraw.withdrawnBy", {
                                who: r.withdrawn.by ?? "—",
                                date: formatDate(r.withdrawn.at, lang),
                                reason: r.withdrawn.reason,
                              })}
                            </span>
                          ) : group.rules.filter((x) => !x.withdrawn).length > 1 ? (
                            <WithdrawForm group={group} rule={r} result={result} />
                          ) : (
                            <span className="meta">{t("operations:withdraw.onlyVersion")}</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <RuleForm group={group} result={result} today={today} />
              </div>
            </div>
          </section>
        );
      })}
      <section className="card" aria-labelledby="new-group">
        <h2 id="new-group">{t("admin.newGroup")}</h2>
        <Form method="post" className="stack narrow-form">
          <input type="hidden" name="intent" value="create" />
          {(() => {
            const errors = result?.intent === "create" ? errorsOf(result) : {};
            return (
              <>
                <TextField name="code" label={t("admin.code")} error={errors.code} />
                <TextField name="nameVi" label={t("admin.nameVi")} error={errors.nameVi} />
                <TextField name="nameEn" label={t("admin.nameEn")} error={errors.nameEn} />
                <TextField
                  name="targetPercent"
                  type="number"
                  step="0.1"
                  label={t("admin.targetPercent")}
                  defaultValue="100"
                  error={errors.targetPercent}
                />
                <TextField
                  name="deadline"
                  type="date"
                  label={t("admin.deadline")}
                  defaultValue="2028-12-31"
                  error={errors.deadline}
                />
                <TextField
                  name="schemeStart"
                  type="date"
                  label={t("admin.schemeStart")}
                  defaultValue="2023-01-01"
                  error={errors.schemeStart}
                />
              </>
            );
          })()}
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("admin.create")}
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}
