import { cueProblem, type CueProblem } from "~/catalog/slides";
import { checkLessonDuration } from "~/media/lesson-duration";
import type { UploadRefusal } from "~/media/refusals";

// The one place that says whether a course is ready for learners. Every
// lesson needs a ready video of 3 to 5 minutes (measured from the file),
// slides, captions in the course's language, and cue times that fit; the
// knowledge check is optional (its schema is enforced when it is saved).

export type LessonSnapshot = {
  id: string;
  title: string;
  video: { status: "PENDING" | "READY" | "ERRORED"; durationSeconds: number | null } | null;
  /** The latest Mux upload for the lesson, when one has not (yet) become its video. */
  pendingUpload: { status: "RECEIVING" | "PROCESSING" | "REFUSED"; refusal: UploadRefusal | null } | null;
  slideCount: number;
  cues: number[];
  captionLanguages: string[];
};

export type CourseSnapshot = { language: string; lessons: LessonSnapshot[] };

export type PublishIssue =
  | { code: "noLessons" }
  | { code: "noVideo"; lessonId: string; lesson: string }
  | { code: "videoProcessing"; lessonId: string; lesson: string }
  | { code: "videoRefused"; lessonId: string; lesson: string; refusal: UploadRefusal }
  | { code: "videoLength"; lessonId: string; lesson: string; measured: string }
  | { code: "noSlides"; lessonId: string; lesson: string }
  | { code: "noCaptions"; lessonId: string; lesson: string; language: string }
  | { code: "badCues"; lessonId: string; lesson: string; problem: CueProblem };

/** "vi-VN" captions serve a "vi" course, and the other way round. */
const primary = (tag: string) => tag.toLowerCase().split("-")[0]!;

export function publishIssues(course: CourseSnapshot): PublishIssue[] {
  if (course.lessons.length === 0) return [{ code: "noLessons" }];
  const issues: PublishIssue[] = [];
  for (const lesson of course.lessons) {
    const at = { lessonId: lesson.id, lesson: lesson.title };
    const ready = lesson.video?.status === "READY" ? lesson.video : null;
    const duration = ready?.durationSeconds ?? null;
    if (!ready || duration === null) {
      const pending = lesson.pendingUpload;
      if (pending?.status === "REFUSED" && pending.refusal)
        issues.push({ code: "videoRefused", ...at, refusal: pending.refusal });
      else if (pending || lesson.video?.status === "PENDING") issues.push({ code: "videoProcessing", ...at });
      else issues.push({ code: "noVideo", ...at });
    } else {
      const rule = checkLessonDuration(duration);
      if (!rule.ok) issues.push({ code: "videoLength", ...at, measured: rule.measured });
    }
    if (lesson.slideCount === 0) issues.push({ code: "noSlides", ...at });
    if (!lesson.captionLanguages.some((language) => primary(language) === primary(course.language))) {
      issues.push({ code: "noCaptions", ...at, language: course.language });
    }
    const problem = cueProblem(lesson.cues, lesson.slideCount, duration);
    if (problem) issues.push({ code: "badCues", ...at, problem });
  }
  return issues;
}
