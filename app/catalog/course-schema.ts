import { z } from "zod";
import { SlideCuesSchema } from "./slides";

// What course.yaml and lesson.yaml may say (courses/README.md). Pure, so the
// trainer's forms and the tests share it; reading the files is teach/course-files.server.ts.

export const CONVENTION_CODES = ["ICCPR", "ICESCR", "CEDAW", "ICERD", "CRC", "CRPD", "CAT"] as const;

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "use lower-case letters, digits and dashes");
const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "use a language tag such as vi, en or hmn");
const fileName = z
  .string()
  .regex(/^[A-Za-z0-9._-]+$/, "a file name in the lesson folder")
  .refine((f) => !f.startsWith("."), "a file name in the lesson folder");

export const CourseFileSchema = z
  .object({
    code: slug,
    convention: z.enum(CONVENTION_CODES),
    language: languageTag,
    title: z.string().trim().min(1).max(200),
    titleEn: z.string().trim().min(1).max(200).optional(),
    summary: z.string().trim().min(1).max(2000),
    summaryEn: z.string().trim().min(1).max(2000).optional(),
    status: z.enum(["published", "draft"]).default("published"),
    cover: fileName.optional(),
    lessons: z.array(slug).min(1).max(50),
  })
  .strict();

export const LessonFileSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    titleEn: z.string().trim().min(1).max(200).optional(),
    language: languageTag,
    video: fileName,
    slides: fileName.optional(),
    cues: SlideCuesSchema.default([]),
    captions: z
      .array(z.object({ language: languageTag, label: z.string().trim().min(1).max(60), file: fileName }).strict())
      .default([]),
    transcript: fileName.optional(),
    quiz: fileName.optional(),
    /** A free preview visitors play without an account; unsaid, the course's first lesson is one. */
    preview: z.boolean().optional(),
  })
  .strict();
