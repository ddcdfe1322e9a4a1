import { Form } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { SCHEME_START } from "~/catalog/conventions";
import type { AsOfProblem } from "~/coverage/as-of";
import { fallbackLang, localized } from "~/i18n";
import { SelectField } from "~/components/fields";
import { formatDate } from "~/utils/format";

type Refused = { problem: AsOfProblem | null; input: string | null };

/**
 * A GET form for the "as of" date and any other choices of the page; hidden
 * fields carry the rest of the query so one control does not reset another.
 * A date the page refused (`refused`) is shown back in the field with what
 * is wrong with it; the figures below are then today's (`asOf`).
 * It is a search landmark; a page with two of them names the second after the
 * heading of its section (`labelledBy`), so each landmark has its own name.
 */
export function AsOfForm({
  asOf,
  max,
  refused,
  keep = {},
  labelledBy,
  children,
}: {
  asOf: string;
  max: string;
  refused?: Refused;
  keep?: Record<string, string | undefined>;
  /** The id of the heading that names this form, when the page has another as-of form. */
  labelledBy?: string;
  children?: React.ReactNode;
}) {
  const { t, i18n } = useTranslation("coverage");
  const id = useId();
  const problem = refused?.problem ?? null;
  return (
    <Form
      method="get"
      className="coverage-controls"
      role="search"
      aria-label={labelledBy ? undefined : t("asOf.formLabel")}
      aria-labelledby={labelledBy}
    >
      {Object.entries(keep).map(([name, value]) =>
        value ? <input key={name} type="hidden" name={name} value={value} /> : null,
      )}
      <div className="field">
        <label htmlFor={`${id}-asof`}>{t("asOf.label")}</label>
        <input
          id={`${id}-asof`}
          type="date"
          name="asOf"
          defaultValue={problem ? (refused?.input ?? "") : asOf}
          max={max}
          min={SCHEME_START}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-error ${id}-hint` : `${id}-hint`}
        />
        {problem ? (
          <p id={`${id}-error`} className="field-error as-of-error">
            {t(`asOf.problem.${problem}`, {
              value: refused?.input ?? "",
              start: formatDate(SCHEME_START, i18n.language),
            })}{" "}
            {t("asOf.showingToday", { date: formatDate(asOf, i18n.language) })}
          </p>
        ) : null}
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
export function GroupSelect({
  groups,
  value,
  label,
}: {
  groups: { code: string; nameVi: string; nameEn: string }[];
  value: string;
  label: string;
}) {
  const { i18n } = useTranslation("coverage");
  return (
    <SelectField
      label={label}
      name="group"
      defaultValue={value}
      options={groups.map((g) => ({
        value: g.code,
        label: localized(i18n.language, g.nameVi, g.nameEn),
        lang: fallbackLang(i18n.language, g.nameEn),
      }))}
    />
  );
}
