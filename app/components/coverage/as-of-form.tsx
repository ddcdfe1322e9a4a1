import { Form } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { localized } from "~/i18n";
import { SelectField } from "~/components/fields";

/**
 * A GET form for the "as of" date and any other choices of the page; hidden
 * fields carry the rest of the query so one control does not reset another.
 */
export function AsOfForm({ asOf, max, keep = {}, children }: { asOf: string; max: string; keep?: Record<string, string | undefined>; children?: React.ReactNode }) {
  const { t } = useTranslation("coverage");
  const id = useId();
  return (
    <Form method="get" className="coverage-controls" role="search">
      {Object.entries(keep).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <div className="field">
        <label htmlFor={`${id}-asof`}>{t("asOf.label")}</label>
        <input id={`${id}-asof`} type="date" name="asOf" defaultValue={asOf} max={max} min="2015-01-01" aria-describedby={`${id}-hint`} />
      </div>
      {children}
      <button type="submit" className="button">
        {t("asOf.submit")}
      </button>
      <p id={`${id}-hint`} className="hint coverage-controls-hint">
        {t("asOf.hint")}
      </p>
    </Form>
  );
}

/** The target-group picker of the coverage pages. */
export function GroupSelect({ groups, value, label }: { groups: { code: string; nameVi: string; nameEn: string }[]; value: string; label: string }) {
  const { i18n } = useTranslation("coverage");
  return (
    <SelectField label={label} name="group" defaultValue={value} options={groups.map((g) => ({ value: g.code, label: localized(i18n.language, g.nameVi, g.nameEn) }))} />
  );
}
