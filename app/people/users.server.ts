import { randomBytes } from "node:crypto";
import { sendPasswordResetLink, sendSetPasswordLink } from "~/auth/account-email.server";
import { normaliseEmail, requireRole } from "~/auth/auth.server";
import { hashPassword } from "~/auth/password.server";
import { accountWaitMs, clearAccountFailures, throttledEmails } from "~/auth/login-throttle.server";
import { CLI_ACTOR, recordAudit, type AuditAction, type AuditActor } from "~/audit/audit.server";
import { matchProvince } from "~/coverage/provinces";
import type { CourseOwnerRole, Role } from "~/generated/prisma-sqlite/enums";
import type { UserWhereInput } from "~/generated/prisma-sqlite/models";
import { compileFor } from "~/db/sql.server";
import { db, type DbClient } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { forbidden } from "~/utils/route.server";
import { peopleT } from "./i18n.server";
import {
  canManageUsers,
  canOwnCourses,
  effectiveScope,
  removesLastAdmin,
  type PeopleActor,
  type ScopeFilter,
  type ScopeRequest,
  type UserStatus,
  USERS_PAGE_SIZE,
} from "./rules";

export { USERS_PAGE_SIZE };

// Managing people: invitations, roles and scopes, deactivation, unlocking,
// password resets and course ownership. Every function takes the acting
// admin and checks them against the database itself, whatever the route did;
// every change writes its AuditEvent in the same transaction.

/** What a person can get wrong; each is a key under "errors." in the people namespace. */
export type PeopleError =
  | "emailTaken"
  | "lastAdmin"
  | "notFound"
  | "unknownProvince"
  | "unknownAgency"
  | "unknownCourse"
  | "cannotOwn"
  | "alreadyOwner"
  | "notOwner"
  | "lastOwner"
  | "stillOwns"
  | "deactivated";

export type PeopleResult<T extends object = object> = ({ ok: true } & T) | { ok: false; error: PeopleError };

const fail = (error: PeopleError) => ({ ok: false as const, error });

function auditActor(actor: PeopleActor): AuditActor {
  return actor.kind === "cli" ? CLI_ACTOR : { id: actor.id, email: actor.email };
}

/**
 * Throws a 403 unless the actor is the command line or an active admin as the
 * database has them now (a role taken away a moment ago counts).
 */
async function assertCanManage(actor: PeopleActor, client: DbClient = db): Promise<void> {
  if (!canManageUsers(actor)) throw forbidden();
  if (actor.kind === "cli") return;
  const row = await client.user.findUnique({ where: { id: actor.id }, select: { role: true, deactivatedAt: true } });
  if (!row || row.role !== "ADMIN" || row.deactivatedAt) throw forbidden();
}

/**
 * The number of active admins, holding them still until the transaction ends:
 * on PostgreSQL the rows are locked, so two admins demoting each other at the
 * same moment cannot both pass; SQLite has one writer at a time already.
 */
async function lockActiveAdmins(tx: DbClient): Promise<number> {
  if (getEnv().databaseProvider === "postgresql") {
    // Built typed, run on the transaction's own connection so the locks are its.
    const query = compileFor("postgresql", (q) =>
      q.selectFrom("User").select("id").where("role", "=", "ADMIN").where("deactivatedAt", "is", null).forUpdate(),
    );
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(query.text, ...query.values);
    return rows.length;
  }
  return tx.user.count({ where: { role: "ADMIN", deactivatedAt: null } });
}

// ---------------------------------------------------------------- units

type Unit = { id: string; code: string; nameVi: string };
const UNIT = { id: true, code: true, nameVi: true } as const;

/** A current (34) unit from its id, its code or any of the 34/63 names; a former unit gives its successor. */
export async function resolveProvince(input: string, client: DbClient = db): Promise<Unit | null> {
  const value = input.trim();
  if (!value) return null;
  const row = await client.province.findFirst({
    where: { OR: [{ id: value }, { code: value }] },
    select: { ...UNIT, era: true, successor: { select: UNIT } },
  });
  if (row) return row.era === "CURRENT_34" ? { id: row.id, code: row.code, nameVi: row.nameVi } : row.successor;
  const match = matchProvince(value);
  return match ? client.province.findUnique({ where: { code: match.currentCode }, select: UNIT }) : null;
}

/** An agency from its id or code; a body merged away gives the one it became part of. */
export async function resolveAgency(input: string, client: DbClient = db): Promise<Unit | null> {
  const value = input.trim();
  if (!value) return null;
  const row = await client.agency.findFirst({
    where: { OR: [{ id: value }, { code: value }, { code: value.toUpperCase() }] },
    select: { ...UNIT, successor: { select: UNIT } },
  });
  if (!row) return null;
  return row.successor ?? { id: row.id, code: row.code, nameVi: row.nameVi };
}

type ScopeColumns = { scopeProvinceId: string | null; scopeAgencyId: string | null };

async function scopeColumns(
  role: Role,
  request: ScopeRequest,
  client: DbClient,
): Promise<{ ok: true; columns: ScopeColumns } | { ok: false; error: PeopleError }> {
  const scope = effectiveScope(role, request);
  if (scope.kind === "national") return { ok: true, columns: { scopeProvinceId: null, scopeAgencyId: null } };
  if (scope.kind === "province") {
    const province = await resolveProvince(scope.province, client);
    return province
      ? { ok: true, columns: { scopeProvinceId: province.id, scopeAgencyId: null } }
      : fail("unknownProvince");
  }
  const agency = await resolveAgency(scope.agency, client);
  return agency ? { ok: true, columns: { scopeProvinceId: null, scopeAgencyId: agency.id } } : fail("unknownAgency");
}

/** The choices of the scope selects: the 34 current units and the agencies in force. */
export async function scopeChoices() {
  const [provinces, agencies] = await Promise.all([
    db.province.findMany({
      where: { era: "CURRENT_34" },
      select: { id: true, code: true, nameVi: true, nameEn: true },
    }),
    db.agency.findMany({ where: { successorId: null }, select: { id: true, code: true, nameVi: true, nameEn: true } }),
  ]);
  // Vietnamese order ("Điện Biên" after "Đà Nẵng", not after "Yên Bái"), which byte order in SQL does not give.
  const byName = (a: { nameVi: string }, b: { nameVi: string }) => a.nameVi.localeCompare(b.nameVi, "vi");
  return { provinces: provinces.sort(byName), agencies: agencies.sort(byName) };
}

// ---------------------------------------------------------------- reading

export type ListUsersQuery = {
  q?: string;
  role?: Role;
  scope?: ScopeFilter | null;
  status?: UserStatus;
  page?: number;
};

const LIST_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  locale: true,
  deactivatedAt: true,
  emailVerifiedAt: true,
  createdAt: true,
  scopeProvince: { select: { code: true, nameVi: true, nameEn: true } },
  scopeAgency: { select: { code: true, nameVi: true, nameEn: true } },
} as const;

export async function listUsers(actor: PeopleActor, query: ListUsersQuery, now = new Date()) {
  await assertCanManage(actor);
  const and: UserWhereInput[] = [];
  const q = query.q?.trim();
  if (q) and.push({ OR: [{ name: { contains: q } }, { email: { contains: q.toLowerCase() } }] });
  if (query.role) and.push({ role: query.role });
  if (query.scope?.kind === "national") and.push({ scopeProvinceId: null, scopeAgencyId: null });
  if (query.scope?.kind === "province") and.push({ scopeProvince: { code: query.scope.code } });
  if (query.scope?.kind === "agency") and.push({ scopeAgency: { code: query.scope.code } });
  if (query.status === "active") and.push({ deactivatedAt: null });
  if (query.status === "deactivated") and.push({ deactivatedAt: { not: null } });
  if (query.status === "unverified") and.push({ emailVerifiedAt: null });
  if (query.status === "throttled") and.push({ email: { in: [...(await throttledEmails(null, now.getTime()))] } });
  const where: UserWhereInput = and.length ? { AND: and } : {};
  const page = Math.max(1, query.page ?? 1);
  const [total, users] = await Promise.all([
    db.user.count({ where }),
    db.user.findMany({
      where,
      orderBy: [{ name: "asc" }, { email: "asc" }],
      skip: (page - 1) * USERS_PAGE_SIZE,
      take: USERS_PAGE_SIZE,
      select: LIST_SELECT,
    }),
  ]);
  const throttled = await throttledEmails(
    users.map((u) => u.email),
    now.getTime(),
  );
  return { total, page, users: users.map((u) => ({ ...u, throttled: throttled.has(u.email) })) };
}

/** One person with what the details page shows; null when there is no such account. */
export async function getUserDetails(actor: PeopleActor, userId: string, now = new Date()) {
  await assertCanManage(actor);
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      ...LIST_SELECT,
      scopeProvinceId: true,
      scopeAgencyId: true,
      ownedCourses: {
        orderBy: { course: { code: "asc" } },
        select: {
          role: true,
          course: {
            select: {
              id: true,
              code: true,
              title: true,
              titleEn: true,
              _count: { select: { owners: { where: { role: "OWNER" } } } },
            },
          },
        },
      },
    },
  });
  if (!user) return null;
  const [throttledMs, audit] = await Promise.all([
    accountWaitMs(user.email, now.getTime()),
    db.auditEvent.findMany({
      where: { targetType: "user", targetId: userId },
      orderBy: { id: "desc" },
      take: 20,
      select: { id: true, at: true, action: true, actorEmail: true, details: true },
    }),
  ]);
  return { ...user, throttledMinutes: Math.ceil(throttledMs / 60_000), audit };
}

/** Courses the person could be given, for the ownership form. */
export async function coursesForOwnership(actor: PeopleActor) {
  await assertCanManage(actor);
  return db.course.findMany({ orderBy: { code: "asc" }, select: { id: true, code: true, title: true, titleEn: true } });
}

// ---------------------------------------------------------------- changing

type Target = {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string;
  deactivatedAt: Date | null;
} & ScopeColumns;
const TARGET = {
  id: true,
  email: true,
  name: true,
  role: true,
  locale: true,
  deactivatedAt: true,
  scopeProvinceId: true,
  scopeAgencyId: true,
} as const;

function scopeOfTarget(user: ScopeColumns) {
  return { provinceId: user.scopeProvinceId, agencyId: user.scopeAgencyId };
}

async function audit(
  tx: DbClient,
  actor: PeopleActor,
  action: AuditAction,
  user: ScopeColumns & { id: string },
  details: Record<string, unknown>,
  ip?: string | null,
) {
  await recordAudit(
    {
      actor: auditActor(actor),
      action,
      target: { type: "user", id: user.id },
      scope: scopeOfTarget(user),
      details,
      ip,
    },
    tx,
  );
}

/** Runs `change` on the account in one transaction, with the permission check inside it. */
async function withTarget<T extends object>(
  actor: PeopleActor,
  where: { id: string } | { email: string },
  change: (tx: DbClient, user: Target) => Promise<PeopleResult<T>>,
): Promise<PeopleResult<T>> {
  return db.$transaction(async (tx) => {
    await assertCanManage(actor, tx);
    const user = await tx.user.findUnique({ where, select: TARGET });
    if (!user) return fail("notFound");
    return change(tx, user);
  });
}

export type InviteInput = { email: string; name: string; role: Role; scope: ScopeRequest; locale: "vi" | "en" };

/**
 * A new account without a usable password and with an unverified address; the
 * person sets their password through the emailed link (valid 24 hours).
 * From the command line this is "user.create", from the admin pages "user.invite".
 */
export async function inviteUser(
  actor: PeopleActor,
  input: InviteInput,
  options: { ip?: string | null } = {},
): Promise<PeopleResult<{ userId: string; link: string; messageId: string }>> {
  await assertCanManage(actor);
  const email = normaliseEmail(input.email);
  // A real argon2 hash of a secret nobody holds: logins against it cost the
  // same as against any account, and can never succeed.
  const passwordHash = await hashPassword(randomBytes(32).toString("base64url"));
  const inviter = actor.kind === "user" ? actor.name : (await peopleT(input.locale)).t("cli.inviter");
  try {
    return await db.$transaction(async (tx) => {
      await assertCanManage(actor, tx);
      if ((await tx.user.count({ where: { email } })) > 0) return fail("emailTaken");
      const scope = await scopeColumns(input.role, input.scope, tx);
      if (!scope.ok) return scope;
      const user = await tx.user.create({
        data: {
          email,
          name: input.name.trim(),
          passwordHash,
          role: input.role,
          locale: input.locale,
          ...scope.columns,
        },
        select: TARGET,
      });
      const sent = await sendSetPasswordLink(user, inviter, tx);
      await audit(
        tx,
        actor,
        actor.kind === "cli" ? "user.create" : "user.invite",
        user,
        {
          email,
          name: user.name,
          role: user.role,
          ...scopeOfTarget(user),
          locale: user.locale,
          messageId: sent.messageId,
        },
        options.ip,
      );
      return { ok: true as const, userId: user.id, ...sent };
    });
  } catch (error) {
    // Two invitations of one address at once: the unique index stops the second.
    if ((error as { code?: string }).code === "P2002") return fail("emailTaken");
    throw error;
  }
}

export type RoleChange = { role: Role; scope: ScopeRequest };

/** A new role and scope; a scope is kept only for coordinators and trainers. Audited with old and new values. */
export async function changeRoleAndScope(
  actor: PeopleActor,
  target: { id: string } | { email: string },
  change: RoleChange,
  options: { ip?: string | null } = {},
): Promise<PeopleResult<{ changed: boolean }>> {
  return withTarget(actor, target, async (tx, user) => {
    const scope = await scopeColumns(change.role, change.scope, tx);
    if (!scope.ok) return scope;
    const active = user.deactivatedAt === null;
    if (
      user.role === "ADMIN" &&
      change.role !== "ADMIN" &&
      removesLastAdmin({ role: user.role, active }, { role: change.role, active }, await lockActiveAdmins(tx))
    ) {
      return fail("lastAdmin");
    }
    // Only trainers and admins own courses: the courses go to someone else first.
    if (
      canOwnCourses(user.role) &&
      !canOwnCourses(change.role) &&
      (await tx.courseOwner.count({ where: { userId: user.id } })) > 0
    ) {
      return fail("stillOwns");
    }
    const roleChanged = user.role !== change.role;
    const scopeChanged =
      user.scopeProvinceId !== scope.columns.scopeProvinceId || user.scopeAgencyId !== scope.columns.scopeAgencyId;
    if (!roleChanged && !scopeChanged) return { ok: true as const, changed: false };
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { role: change.role, ...scope.columns },
      select: TARGET,
    });
    if (roleChanged) await audit(tx, actor, "user.role", updated, { from: user.role, to: updated.role }, options.ip);
    if (scopeChanged)
      await audit(
        tx,
        actor,
        "user.scope",
        updated,
        { from: scopeOfTarget(user), to: scopeOfTarget(updated) },
        options.ip,
      );
    return { ok: true as const, changed: true };
  });
}

/** The account can no longer sign in, and every session it has ends in the same transaction. */
export async function deactivateUser(
  actor: PeopleActor,
  userId: string,
  options: { ip?: string | null } = {},
  now = new Date(),
): Promise<PeopleResult> {
  return withTarget(actor, { id: userId }, async (tx, user) => {
    if (user.deactivatedAt) {
      // Already off; any session that slipped in since still ends.
      await tx.session.deleteMany({ where: { userId: user.id } });
      return { ok: true as const };
    }
    if (
      removesLastAdmin(
        { role: user.role, active: true },
        { role: user.role, active: false },
        user.role === "ADMIN" ? await lockActiveAdmins(tx) : 0,
      )
    ) {
      return fail("lastAdmin");
    }
    await tx.user.update({ where: { id: user.id }, data: { deactivatedAt: now } });
    const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
    await audit(tx, actor, "user.deactivate", user, { email: user.email, sessionsEnded: count }, options.ip);
    return { ok: true as const };
  });
}

export async function reactivateUser(
  actor: PeopleActor,
  userId: string,
  options: { ip?: string | null } = {},
): Promise<PeopleResult> {
  return withTarget(actor, { id: userId }, async (tx, user) => {
    if (!user.deactivatedAt) return { ok: true as const };
    await tx.user.update({ where: { id: user.id }, data: { deactivatedAt: null } });
    await audit(tx, actor, "user.reactivate", user, { email: user.email }, options.ip);
    return { ok: true as const };
  });
}

/** Forgets the account's failed logins, so the person may try again at once from anywhere. */
export async function unlockUser(
  actor: PeopleActor,
  userId: string,
  options: { ip?: string | null } = {},
): Promise<PeopleResult<{ cleared: number }>> {
  return withTarget(actor, { id: userId }, async (tx, user) => {
    const count = await clearAccountFailures(user.email, tx);
    await audit(tx, actor, "user.unlock", user, { email: user.email, cleared: count }, options.ip);
    return { ok: true as const, cleared: count };
  });
}

/** An admin sends the person a password reset link (valid one hour). */
export async function sendPasswordReset(
  actor: PeopleActor,
  userId: string,
  options: { ip?: string | null } = {},
): Promise<PeopleResult<{ link: string; messageId: string; email: string }>> {
  return withTarget(actor, { id: userId }, async (tx, user) => {
    if (user.deactivatedAt) return fail("deactivated");
    const sent = await sendPasswordResetLink(user, tx);
    await audit(
      tx,
      actor,
      "user.password_reset_sent",
      user,
      { email: user.email, messageId: sent.messageId },
      options.ip,
    );
    return { ok: true as const, ...sent, email: user.email };
  });
}

// ---------------------------------------------------------------- course ownership

async function findCourse(tx: DbClient, course: string) {
  return tx.course.findFirst({ where: { OR: [{ id: course }, { code: course }] }, select: { id: true, code: true } });
}

/**
 * Makes the person an owner or co-owner of a course (by id or code); an owner
 * already there changes role. A course keeps at least one OWNER.
 */
export async function addCourseOwner(
  actor: PeopleActor,
  userId: string,
  input: { course: string; role: CourseOwnerRole },
  options: { ip?: string | null } = {},
): Promise<PeopleResult<{ course: string }>> {
  return withTarget(actor, { id: userId }, async (tx, user) => {
    if (!canOwnCourses(user.role)) return fail("cannotOwn");
    const course = await findCourse(tx, input.course);
    if (!course) return fail("unknownCourse");
    const existing = await tx.courseOwner.findUnique({
      where: { courseId_userId: { courseId: course.id, userId: user.id } },
      select: { role: true },
    });
    if (existing?.role === input.role) return fail("alreadyOwner");
    if (
      existing?.role === "OWNER" &&
      (await tx.courseOwner.count({ where: { courseId: course.id, role: "OWNER" } })) <= 1
    )
      return fail("lastOwner");
    await tx.courseOwner.upsert({
      where: { courseId_userId: { courseId: course.id, userId: user.id } },
      create: { courseId: course.id, userId: user.id, role: input.role },
      update: { role: input.role },
    });
    await audit(
      tx,
      actor,
      "course.owner_add",
      user,
      { courseId: course.id, course: course.code, role: input.role, ...(existing ? { from: existing.role } : {}) },
      options.ip,
    );
    return { ok: true as const, course: course.code };
  });
}

/** Takes the person off a course (by id or code); the course's last OWNER stays. */
export async function removeCourseOwner(
  actor: PeopleActor,
  userId: string,
  courseId: string,
  options: { ip?: string | null } = {},
): Promise<PeopleResult<{ course: string }>> {
  return withTarget(actor, { id: userId }, async (tx, user) => {
    const course = await findCourse(tx, courseId);
    if (!course) return fail("unknownCourse");
    const existing = await tx.courseOwner.findUnique({
      where: { courseId_userId: { courseId: course.id, userId: user.id } },
      select: { role: true },
    });
    if (!existing) return fail("notOwner");
    if (
      existing.role === "OWNER" &&
      (await tx.courseOwner.count({ where: { courseId: course.id, role: "OWNER" } })) <= 1
    )
      return fail("lastOwner");
    await tx.courseOwner.delete({ where: { courseId_userId: { courseId: course.id, userId: user.id } } });
    await audit(
      tx,
      actor,
      "course.owner_remove",
      user,
      { courseId: course.id, course: course.code, role: existing.role },
      options.ip,
    );
    return { ok: true as const, course: course.code };
  });
}

// ---------------------------------------------------------------- routes

/** A signed-in admin as the acting person; anyone else gets the 403 page. */
export async function requirePeopleAdmin(request: Request): Promise<PeopleActor & { kind: "user" }> {
  const user = await requireRole(request, ["ADMIN"]);
  return { kind: "user", id: user.id, email: user.email, name: user.name, role: user.role };
}
