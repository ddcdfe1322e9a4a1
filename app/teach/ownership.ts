import type { Role } from "~/generated/prisma-sqlite/enums";

// Who may author what. Trainers work on the courses they own or co-own;
// admins on every course, and only admins change who owns a course.

export type Actor = { id: string; role: Role };

export function canAuthor(actor: Actor): boolean {
  return actor.role === "TRAINER" || actor.role === "ADMIN";
}

export function canEditCourse(actor: Actor, ownerIds: readonly string[]): boolean {
  if (actor.role === "ADMIN") return true;
  return actor.role === "TRAINER" && ownerIds.includes(actor.id);
}

export function canManageOwners(actor: Actor): boolean {
  return actor.role === "ADMIN";
}

/** Co-owners must be able to author: a learner or coordinator made co-owner could not open the course anyway. */
export function canBeCoOwner(role: Role): boolean {
  return role === "TRAINER" || role === "ADMIN";
}
