import { describe, expect, it } from "vitest";
import { createDraftCourse, createUserWithRole } from "../../tests/fixtures/teach";
import { canAuthor, canBeCoOwner, canEditCourse, canManageOwners } from "./ownership";
import { addCoOwner, courseAccess, removeCoOwner } from "./ownership.server";
import { listAuthorCourses } from "./courses.server";

describe("ownership rules", () => {
  const owner = { id: "u-owner", role: "TRAINER" as const };
  const owners = ["u-owner", "u-co"];

  it("a trainer edits only courses they own or co-own", () => {
    expect(canEditCourse(owner, owners)).toBe(true);
    expect(canEditCourse({ id: "u-co", role: "TRAINER" }, owners)).toBe(true);
    expect(canEditCourse({ id: "u-other", role: "TRAINER" }, owners)).toBe(false);
  });

  it("an admin edits every course; learners and coordinators none, even when listed as owners", () => {
    expect(canEditCourse({ id: "u-admin", role: "ADMIN" }, owners)).toBe(true);
    expect(canEditCourse({ id: "u-owner", role: "LEARNER" }, owners)).toBe(false);
    expect(canEditCourse({ id: "u-owner", role: "COORDINATOR" }, owners)).toBe(false);
  });

  it("only trainers and admins author; only admins manage owners", () => {
    expect(
      ["LEARNER", "TRAINER", "COORDINATOR", "ADMIN"].map((role) => canAuthor({ id: "x", role: role as never })),
    ).toEqual([false, true, false, true]);
    expect(canManageOwners(owner)).toBe(false);
    expect(canManageOwners({ id: "a", role: "ADMIN" })).toBe(true);
    expect(canBeCoOwner("LEARNER")).toBe(false);
    expect(canBeCoOwner("TRAINER")).toBe(true);
  });
});

describe("co-owners in the database", () => {
  it("an admin adds a trainer as co-owner, who can then edit; removing them takes it back", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const colleague = await createUserWithRole("TRAINER");
    const admin = await createUserWithRole("ADMIN");
    const { courseId } = await createDraftCourse(trainer);

    expect(await courseAccess(colleague, courseId)).toBe("forbidden");
    expect(await listAuthorCourses(colleague)).toEqual([]);
    expect(await addCoOwner(trainer, courseId, colleague.email)).toEqual({ ok: false, error: "forbidden" });

    expect(await addCoOwner(admin, courseId, colleague.email.toUpperCase())).toEqual({ ok: true });
    expect(await courseAccess(colleague, courseId)).toBe("edit");
    expect((await listAuthorCourses(colleague)).map((c) => c.id)).toEqual([courseId]);
    expect(await addCoOwner(admin, courseId, colleague.email)).toEqual({ ok: false, error: "alreadyOwner" });

    expect(await removeCoOwner(admin, courseId, colleague.id)).toBe(true);
    expect(await courseAccess(colleague, courseId)).toBe("forbidden");
    // The creator is the owner, not a co-owner: removing them this way does nothing.
    expect(await removeCoOwner(admin, courseId, trainer.id)).toBe(false);
  });

  it("learners cannot be co-owners, and unknown emails are reported", async () => {
    const trainer = await createUserWithRole("TRAINER");
    const learner = await createUserWithRole("LEARNER");
    const admin = await createUserWithRole("ADMIN");
    const { courseId } = await createDraftCourse(trainer);
    expect(await addCoOwner(admin, courseId, learner.email)).toEqual({ ok: false, error: "notTrainer" });
    expect(await addCoOwner(admin, courseId, "nobody@example.vn")).toEqual({ ok: false, error: "unknownUser" });
    expect(await courseAccess(learner, courseId)).toBe("forbidden");
    expect(await courseAccess(admin, courseId)).toBe("edit");
    expect(await courseAccess(admin, "c-does-not-exist")).toBeNull();
  });
});
