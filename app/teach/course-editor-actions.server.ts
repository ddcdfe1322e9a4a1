// The course editor's forms, one function per form (its `intent`); the route reads the
// form, picks the function and returns what it answers ({intent, notice | error | errors}).
import { z } from "zod";
import { fieldErrors } from "~/utils/forms";
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

/** Who sends the form, about which course; `form` is the whole form, as sent. */
export type Editing = { actor: Actor; courseId: string; form: Record<string, unknown> };

export async function saveCourseDetails({ courseId, form }: Editing) {
  const details = CourseFormSchema.safeParse(form);
  if (!details.success) return { intent: "details", errors: fieldErrors(details.error) };
  await updateCourse(courseId, details.data);
  return { intent: "details", notice: "course.saved" };
}

export async function addCourseLesson({ courseId, form }: Editing) {
  const lesson = LessonFormSchema.safeParse(form);
  if (!lesson.success) return { intent: "addLesson", errors: fieldErrors(lesson.error) };
  const added = await addLesson(courseId, lesson.data);
  if (!added.ok) return { intent: "addLesson", errors: { [added.field]: added.error } };
  return { intent: "addLesson", notice: "lessons.added" };
}

export async function moveCourseLesson({ courseId }: Editing, input: InputFor<"move">) {
  if (!(await findLesson(courseId, input.lessonId))) throw notFound();
  await moveLesson(courseId, input.lessonId, input.direction);
  return { intent: "move", notice: "lessons.moved" };
}

export async function deleteCourseLesson({ courseId }: Editing, input: InputFor<"deleteLesson">) {
  if (!(await findLesson(courseId, input.lessonId))) throw notFound();
  const deleted = await deleteLesson(courseId, input.lessonId);
  return deleted.ok ? { intent: "deleteLesson", notice: "lessons.deleted" } : { intent: "deleteLesson", error: `lessons.${deleted.error}` };
}

export async function publish({ courseId }: Editing) {
  const result = await publishCourse(courseId);
  return result.ok ? { intent: "publish", notice: "publish.published" } : { intent: "publish", error: "publish.notReady" };
}

export async function unpublish({ courseId }: Editing) {
  await unpublishCourse(courseId);
  return { intent: "unpublish", notice: "publish.unpublished" };
}

export async function addOwner({ actor, courseId }: Editing, input: InputFor<"addOwner">) {
  const result = await addCoOwner(actor, courseId, input.email);
  return result.ok ? { intent: "addOwner", notice: "owners.added" } : { intent: "addOwner", error: `owners.${result.error}` };
}

export async function removeOwner({ actor, courseId }: Editing, input: InputFor<"removeOwner">) {
  await removeCoOwner(actor, courseId, input.userId);
  return { intent: "removeOwner", notice: "owners.removed" };
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
} satisfies { [I in CourseEditorInput["intent"]]: (editing: Editing, input: InputFor<I>) => Promise<{ intent: string }> };
type CourseEditorAnswer = Awaited<ReturnType<(typeof courseEditorActions)[CourseEditorInput["intent"]]>>;

/** Answers one course editor form. */
export function answerCourseEditor(editing: Editing, input: CourseEditorInput): Promise<CourseEditorAnswer> {
  // TypeScript cannot pair input.intent with its own handler's input type; the map above does.
  const act = courseEditorActions[input.intent] as (editing: Editing, input: CourseEditorInput) => Promise<CourseEditorAnswer>;
  return act(editing, input);
}
