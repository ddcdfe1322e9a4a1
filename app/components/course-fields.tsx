import { useTranslation } from "react-i18next";
import { localized } from "~/i18n";
import { SelectField, TextAreaField } from "./fields";
import { TextField } from "./text-field";

// The course's descriptive fields, shared by "new course" and the course editor.

type Props = {
  conventions: { code: string; nameVi: string; nameEn: string }[];
  errors: Record<string, string>;
  values?: {
    convention: string;
    title: string;
    titleEn: string | null;
    summary: string;
    summaryEn: string | null;
    language: string;
  };
};

export const LANGUAGE_SUGGESTIONS = ["vi", "en", "km", "hmn", "th", "tay", "cjm"];

export function CourseFields({ conventions, errors, values }: Props) {
  const { t, i18n } = useTranslation("teach");
  return (
    <>
      <SelectField
        name="convention"
        label={t("course.convention")}
        defaultValue={values?.convention}
        error={errors.convention}
        options={conventions.map((c) => ({
          value: c.code,
          label: `${c.code} — ${localized(i18n.language, c.nameVi, c.nameEn)}`,
        }))}
      />
      <TextField name="title" label={t("course.title")} defaultValue={values?.title} error={errors.title} required />
      <TextField
        name="titleEn"
        label={t("course.titleEn")}
        defaultValue={values?.titleEn ?? ""}
        error={errors.titleEn}
      />
      <TextAreaField
        name="summary"
        label={t("course.summary")}
        defaultValue={values?.summary}
        error={errors.summary}
        rows={3}
        required
      />
      <TextAreaField
        name="summaryEn"
        label={t("course.summaryEn")}
        defaultValue={values?.summaryEn ?? ""}
        error={errors.summaryEn}
        rows={3}
      />
      <TextField
        name="language"
        label={t("course.language")}
        hint={t("course.languageHint")}
        defaultValue={values?.language ?? "vi"}
        error={errors.language}
        list="language-tags"
        required
      />
      <datalist id="language-tags">
        {LANGUAGE_SUGGESTIONS.map((tag) => (
          <option key={tag} value={tag} />
        ))}
      </datalist>
    </>
  );
}
