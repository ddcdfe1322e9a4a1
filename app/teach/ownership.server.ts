import { requireUser, type SessionUser } from "~/auth/auth.server";
import { normaliseEmail } from "~/auth/auth.server";
import { db } from "~/utils/db.server";
import { forbidden, notFound } from "~/utils/route.server";
import { canAuthor, canBeCoOwner, canEditCourse, canManageOwners, type Actor } from "./ownership";

/** The query filter for courses this actor may edit. */
export function editableBy(actor: Actor) {
  if (actor.role === "ADMIN") return {};
  if (actor.role === "TRAINER") return { owners: { some: { userId: actor.id } } };
  return { id: { in: [] as string[] } };
}

/** Signed-in trainers and admins; everyone else gets the 403 page. */
export async function requireAuthor(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!canAuthor(user)) throw forbidden();
  return user;
}

/** Whether `actor` may edit the course; null when the course does not exist. */
export async function courseAccess(actor: Actor, courseId: string): Promise<"edit" | "forbidden" | null> {
  const course = await db.course.findUnique({
    where: { id: courseId },
    select: { owners: { select: { userId: true } } },
  });
  if (!course) return null;
  return canEditCourse(
    actor,
    course.owners.map((o) => o.userId),
  )
    ? "edit"
    : "forbidden";
}

/**
 * For routes under /teach/courses/:courseId. A course that exists but is not
 * the actor's is a 403, so a trainer learns nothing from guessing ids but a
 * co-owner who lost access sees why.
 */
export async function requireCourseEditor(request: Request, courseId: string): Promise<SessionUser> {
  const user = await requireAuthor(request);
  const access = await courseAccess(user, courseId);
  if (access === null) throw notFound();
  if (access === "forbidden") throw forbidden();
  return user;
}

export function listOwners(courseId: string) {
  return db.courseOwner.findMany({
    where: { courseId },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
    select: { role: true, user: { select: { id: true, name: true, email: true } } },
  });
}

export type CoOwnerResult =
  { ok: true } | { ok: false; error: "forbidden" | "unknownUser" | "notTrainer" | "alreadyOwner" };

export async function addCoOwner(actor: Actor, courseId: string, email: string): Promise<CoOwnerResult> {
  if (!canManageOwners(actor)) return { ok: false, error: "forbidden" };
  const user = await db.user.findUnique({ where: { email: normaliseEmail(email) }, select: { id: true, role: true } });
  if (!user) return { ok: false, error: "unknownUser" };
  if (!canBeCoOwner(user.role)) return { ok: false, error: "notTrainer" };
  const existing = await db.courseOwner.findUnique({ where: { courseId_userId: { courseId, userId: user.id } } });
  if (existing) return { ok: false, error: "alreadyOwner" };
  await db.courseOwner.create({ data: { courseId, userId: user.id, role: "CO_OWNER" } });
  return { ok: true };
}

/** Removes a co-owner; the owner who created the course stays. */
export async function removeCoOwner(actor: Actor, courseId: string, userId: string): Promise<boolean> {
  if (!canManageOwners(actor)) return false;
  const { count } = await db.courseOwner.deleteMany({ where: { courseId, userId, role: "CO_OWNER" } });
  return count > 0;
}
