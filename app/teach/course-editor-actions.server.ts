// The course editor's forms, one function per form (its `intent`); the route reads the
// form, picks the function and returns what it answers: an ActionResult named by the intent.
import { z } from "zod";
import { done, invalid, refused, type ActionResult, type Notice } from "~/utils/forms";
import { Id, notFound } from "~/utils/route.server";
import { addLesson, deleteLesson, findLesson, moveLesson, updateCourse } from "./courses.server";
import { CourseFormSchema, LessonFormSchema } from "./forms";
import type { Actor } from "./ownership";
import { addCoOwner, removeCoOwner } from "./ownership.server";
import { publishCourse, unpublishCourse } from "./publish.server";

/** Each form's fixed fields; the details and new-lesson forms are checked by their own schemas. */
export const CourseEditorInput = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("details") }).passthrough(),
  z.object({ intent: z.literal("addLesson") }).passthrough(),
  z.object({ intent: z.literal("move"), lessonId: Id, direction: z.enum(["up", "down"]) }),
  z.object({ intent: z.literal("deleteLesson"), lessonId: Id }),
  z.object({ intent: z.literal("publish") }),
  z.object({ intent: z.literal("unpublish") }),
  z.object({ intent: z.literal("addOwner"), email: z.string().trim().max(254) }),
  z.object({ intent: z.literal("removeOwner"), userId: Id }),
]);
type CourseEditorInput = z.infer<typeof CourseEditorInput>;
type InputFor<I extends CourseEditorInput["intent"]> = Extract<CourseEditorInput, { intent: I }>;

const notice = (intent: CourseEditorInput["intent"], key: string): ActionResult<Notice> =>
  done({ notice: key }, intent);

/** Who sends the form, about which course; `form` is the whole form, as sent. */
export type Editing = { actor: Actor; courseId: string; form: Record<string, unknown> };

export async function saveCourseDetails({ courseId, form }: Editing) {
  const details = CourseFormSchema.safeParse(form);
  if (!details.success) return invalid(details.error, "details");
  await updateCourse(courseId, details.data);
  return notice("details", "course.saved");
}

export async function addCourseLesson({ courseId, form }: Editing) {
  const lesson = LessonFormSchema.safeParse(form);
  if (!lesson.success) return invalid(lesson.error, "addLesson");
  const added = await addLesson(courseId, lesson.data);
  if (!added.ok) return invalid({ [added.field]: added.error }, "addLesson");
  return notice("addLesson", "lessons.added");
}

export async function moveCourseLesson({ courseId }: Editing, input: InputFor<"move">) {
  if (!(await findLesson(courseId, input.lessonId))) throw notFound();
  await moveLesson(courseId, input.lessonId, input.direction);
  return notice("move", "lessons.moved");
}

export async function deleteCourseLesson({ courseId }: Editing, input: InputFor<"deleteLesson">) {
  if (!(await findLesson(courseId, input.lessonId))) throw notFound();
  const deleted = await deleteLesson(courseId, input.lessonId);
  return deleted.ok
    ? notice("deleteLesson", "lessons.deleted")
    : refused(`lessons.${deleted.error}`, undefined, "deleteLesson");
}

export async function publish({ courseId }: Editing) {
  const result = await publishCourse(courseId);
  return result.ok ? notice("publish", "publish.published") : refused("publish.notReady", undefined, "publish");
}

export async function unpublish({ courseId }: Editing) {
  await unpublishCourse(courseId);
  return notice("unpublish", "publish.unpublished");
}

export async function addOwner({ actor, courseId }: Editing, input: InputFor<"addOwner">) {
  const result = await addCoOwner(actor, courseId, input.email);
  return result.ok ? notice("addOwner", "owners.added") : refused(`owners.${result.error}`, undefined, "addOwner");
}

export async function removeOwner({ actor, courseId }: Editing, input: InputFor<"removeOwner">) {
  await removeCoOwner(actor, courseId, input.userId);
  return notice("removeOwner", "owners.removed");
}

/** Which function answers which form. */
export const courseEditorActions = {
  details: saveCourseDetails,
  addLesson: addCourseLesson,
  move: moveCourseLesson,
  deleteLesson: deleteCourseLesson,
  publish,
  unpublish,
  addOwner,
  removeOwner,
} satisfies {
  [I in CourseEditorInput["intent"]]: (editing: Editing, input: InputFor<I>) => Promise<ActionResult<Notice>>;
};
type CourseEditorAnswer = ActionResult<Notice>;

/** Answers one course editor form. */
export function answerCourseEditor(editing: Editing, input: CourseEditorInput): Promise<CourseEditorAnswer> {
  // TypeScript cannot pair input.intent with its own handler's input type; the map above does.
  const act = courseEditorActions[input.intent] as (
    editing: Editing,
    input: CourseEditorInput,
  ) => Promise<CourseEditorAnswer>;
  return act(editing, input);
}
