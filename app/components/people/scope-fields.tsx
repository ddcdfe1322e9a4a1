import { useId } from "react";
import { useTranslation } from "react-i18next";
import { describedBy, FieldShell } from "~/components/fields";
import { SentenceWithName } from "~/components/localized-text";
import { fallbackLang, localized } from "~/i18n";
import type { ActionResult } from "~/utils/forms";

// The scope of a coordinator or trainer: one of the 34 current provinces, or
// one agency, or neither (national). Both selects send ids.

export type Unit = { id: string; code: string; nameVi: string; nameEn: string | null };
export type ScopeChoices = { provinces: Unit[]; agencies: Unit[] };

function UnitSelect({
  name,
  label,
  units,
  value,
  error,
  hint,
}: {
  name: string;
  label: string;
  units: Unit[];
  value?: string | null;
  error?: string;
  hint?: string;
}) {
  const { t, i18n } = useTranslation("people");
  const id = useId();
  return (
    <FieldShell id={id} label={label} error={error} hint={hint}>
      <select
        id={id}
        name={name}
        defaultValue={value ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        <option value="">{t("scope.none")}</option>
        {units.map((unit) => (
          <option key={unit.id} value={unit.id} lang={fallbackLang(i18n.language, unit.nameEn)}>
            {localized(i18n.language, unit.nameVi, unit.nameEn)}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function ScopeFields({
  choices,
  provinceId,
  agencyId,
  errors,
}: {
  choices: ScopeChoices;
  provinceId?: string | null;
  agencyId?: string | null;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation("people");
  return (
    <fieldset className="stack scope-fields">
      <legend>{t("details.scope")}</legend>
      <p className="hint">{t("scope.hint")}</p>
      <UnitSelect
        name="province"
        label={t("scope.provinceLabel")}
        units={choices.provinces}
        value={provinceId}
        error={errors.province}
      />
      <UnitSelect
        name="agency"
        label={t("scope.agencyLabel")}
        units={choices.agencies}
        value={agencyId}
        error={errors.agency}
      />
    </fieldset>
  );
}

/** "National", "Province: Huế" or "Agency: Bộ Tư pháp". */
export function ScopeText({
  province,
  agency,
}: {
  province: { nameVi: string; nameEn: string | null } | null;
  agency: { nameVi: string; nameEn: string | null } | null;
}) {
  const { t } = useTranslation("people");
  if (province)
    return <SentenceWithName ns="people" i18nKey="scope.province" vi={province.nameVi} en={province.nameEn} />;
  if (agency) return <SentenceWithName ns="people" i18nKey="scope.agency" vi={agency.nameVi} en={agency.nameEn} />;
  return <>{t("scope.national")}</>;
}

/** The statuses of an account as badges. */
export function StatusBadges({
  deactivated,
  throttled,
  verified,
}: {
  deactivated: boolean;
  throttled: boolean;
  verified: boolean;
}) {
  const { t } = useTranslation("people");
  return (
    <>
      <span className={deactivated ? "badge" : "badge success"}>
        {t(deactivated ? "status.deactivated" : "status.active")}
      </span>
      {throttled ? (
        <>
          {" "}
          <span className="badge status-behind">{t("status.throttled")}</span>
        </>
      ) : null}
      {verified ? null : (
        <>
          {" "}
          <span className="badge">{t("status.unverified")}</span>
        </>
      )}
    </>
  );
}

/** The form-level message: a refusal, or the summary of field errors, announced at once. */
export function FormAlert({ result }: { result: ActionResult<unknown> | undefined }) {
  const { t } = useTranslation("people");
  if (result?.status !== "invalid") return null;
  const message = result.formError ?? (Object.keys(result.fieldErrors).length ? { key: "errors.form" } : null);
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {t(message.key, message.values)}
    </p>
  );
}
