import { db } from "~/utils/db.server";
import { slideCount } from "./courses.server";
import { parseSlideCues } from "~/catalog/slides";
import { parseRefusal } from "~/media/refusals";
import { publishIssues, type CourseSnapshot, type PublishIssue } from "./publish";

/** Reads what publishIssues needs, in two queries whatever the number of lessons. */
export async function courseSnapshot(courseId: string): Promise<CourseSnapshot> {
  const course = await db.course.findUniqueOrThrow({
    where: { id: courseId },
    select: {
      language: true,
      lessons: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          title: true,
          durationSeconds: true,
          slidesKind: true,
          slidesMarkdown: true,
          slideCues: true,
          slidesAsset: { select: { pageCount: true } },
          videoAsset: { select: { status: true } },
          captions: { select: { language: true } },
        },
      },
    },
  });
  const uploads = await db.mediaUpload.findMany({
    where: { courseId, purpose: "LESSON_VIDEO", storage: "MUX" },
    orderBy: { createdAt: "desc" },
    select: { lessonId: true, status: true, refusal: true },
  });
  const latestUpload = new Map<string, (typeof uploads)[number]>();
  for (const upload of uploads)
    if (upload.lessonId && !latestUpload.has(upload.lessonId)) latestUpload.set(upload.lessonId, upload);
  return {
    language: course.language,
    lessons: course.lessons.map((lesson) => {
      const upload = latestUpload.get(lesson.id);
      return {
        id: lesson.id,
        title: lesson.title,
        video: lesson.videoAsset ? { status: lesson.videoAsset.status, durationSeconds: lesson.durationSeconds } : null,
        pendingUpload: upload ? { status: upload.status, refusal: parseRefusal(upload.refusal) } : null,
        slideCount: slideCount(lesson),
        cues: parseSlideCues(lesson.slideCues),
        captionLanguages: lesson.captions.map((c) => c.language),
      };
    }),
  };
}

export async function checkCourse(courseId: string): Promise<PublishIssue[]> {
  return publishIssues(await courseSnapshot(courseId));
}

export type PublishResult = { ok: true } | { ok: false; issues: PublishIssue[] };

export async function publishCourse(courseId: string, now = new Date()): Promise<PublishResult> {
  const issues = await checkCourse(courseId);
  if (issues.length > 0) return { ok: false, issues };
  const course = await db.course.findUniqueOrThrow({ where: { id: courseId }, select: { publishedAt: true } });
  await db.course.update({
    where: { id: courseId },
    data: { status: "PUBLISHED", publishedAt: course.publishedAt ?? now },
  });
  return { ok: true };
}

/** Hides the course from the catalog; enrolments, progress and certificates stay as they are. */
export async function unpublishCourse(courseId: string) {
  await db.course.update({ where: { id: courseId }, data: { status: "DRAFT" } });
}
