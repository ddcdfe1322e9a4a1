import { z } from "zod";
import { CONVENTION_CODES } from "~/catalog/course-schema";

// One schema per form, shared by the page and its action. Messages are
// translation keys of the "teach" namespace (see app/utils/forms.ts).

const text = (max: number) =>
  z
    .string({ message: "teach:validation.required" })
    .trim()
    .min(1, "teach:validation.required")
    .max(max, "teach:validation.tooLong");

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "teach:validation.tooLong")
    .optional()
    .transform((value) => (value ? value : null));

export const LanguageTagSchema = z
  .string({ message: "teach:validation.required" })
  .trim()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "teach:validation.languageTag");

export const SlugSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "teach:validation.slug")
  .max(80, "teach:validation.tooLong");

/** A blank field becomes null (the server makes a slug from the title). */
const optionalSlug = z
  .string()
  .trim()
  .optional()
  .transform((value) => value || null)
  .pipe(SlugSchema.nullable());

export const CourseFormSchema = z.object({
  convention: z.enum(CONVENTION_CODES, { message: "teach:validation.convention" }),
  title: text(200),
  titleEn: optionalText(200),
  summary: text(2000),
  summaryEn: optionalText(2000),
  language: LanguageTagSchema,
});
export type CourseForm = z.infer<typeof CourseFormSchema>;

export const NewCourseFormSchema = CourseFormSchema.extend({
  // Blank: made from the title. It names the course's URL and its folder in courses/.
  code: optionalSlug,
});

export const LessonFormSchema = z.object({
  title: text(200),
  titleEn: optionalText(200),
  language: LanguageTagSchema,
  slug: optionalSlug,
});
export type LessonForm = z.infer<typeof LessonFormSchema>;

export const CaptionFormSchema = z.object({
  language: LanguageTagSchema,
  label: text(60),
});
