import { redirect } from "@remix-run/node";
import type { Role } from "~/generated/prisma-sqlite/enums";
import { db } from "~/utils/db.server";
import { forbidden } from "~/utils/route.server";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password.server";
import { finishLoginAttempt, pruneLoginThrottle, startLoginAttempt } from "./login-throttle.server";
import {
  blankSessionCookie,
  createSession,
  generateSessionToken,
  invalidateSession,
  invalidateUserSessions,
  readSessionToken,
  sessionCookie,
  validateSessionToken,
  type SessionUser,
} from "./session.server";

export type { SessionUser };

// Memoised per request: the root loader and the route loader both ask.
const cache = new WeakMap<Request, ReturnType<typeof validate>>();

async function validate(request: Request) {
  const token = readSessionToken(request);
  return token ? validateSessionToken(token) : null;
}

export async function getSession(request: Request) {
  let pending = cache.get(request);
  if (!pending) {
    pending = validate(request);
    cache.set(request, pending);
  }
  return pending;
}

export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  return (await getSession(request))?.user ?? null;
}

export function safeRedirectTo(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

/** To the login page, coming back here afterwards. */
export function loginRedirect(request: Request): Response {
  const url = new URL(request.url);
  return redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getOptionalUser(request);
  if (!user) throw loginRedirect(request);
  return user;
}

/** For the pages only a signed-out person needs (log in, sign up, forgot password): anyone signed in goes to their learning. */
export async function requireAnonymous(request: Request): Promise<void> {
  if (await getOptionalUser(request)) throw redirect("/my-learning");
}

/** Throws a 403 response (rendered by the error boundary) for any other role. */
export async function requireRole(request: Request, roles: readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) {
    throw forbidden();
  }
  return user;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type LoginResult =
  | { ok: true; userId: string; locale: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; seconds: number }
  | { ok: false; reason: "deactivated" };

export async function verifyLogin(emailInput: string, password: string, ip: string | null): Promise<LoginResult> {
  const email = normaliseEmail(emailInput);
  // Counted before the password is checked: parallel guesses cannot all get in.
  const ticket = await startLoginAttempt(email, ip);
  if (!ticket.ok) return { ok: false, reason: "throttled", seconds: ticket.waitSeconds };
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, passwordHash: true, locale: true, deactivatedAt: true },
  });
  const valid = user ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
  if (!user || !valid) {
    await pruneLoginThrottle();
    return { ok: false, reason: "invalid" };
  }
  await finishLoginAttempt(ticket);
  // Said only to whoever knows the password: a wrong one gets the generic
  // answer, so this does not tell which accounts exist or are deactivated.
  if (user.deactivatedAt) return { ok: false, reason: "deactivated" };
  return { ok: true, userId: user.id, locale: user.locale };
}

export async function createUser(input: { email: string; name: string; password: string; locale?: string }) {
  return db.user.create({
    data: {
      email: normaliseEmail(input.email),
      name: input.name.trim(),
      passwordHash: await hashPassword(input.password),
      locale: input.locale ?? "vi",
    },
    select: { id: true },
  });
}

/** The account remembers the interface language across devices. */
export async function setUserLocale(userId: string, locale: string) {
  await db.user.update({ where: { id: userId }, data: { locale } });
}

/** Starts a session and returns the Set-Cookie header value. */
export async function startSession(userId: string): Promise<string> {
  const token = generateSessionToken();
  const session = await createSession(token, userId);
  return sessionCookie(token, session.expiresAt);
}

export async function endSession(request: Request): Promise<string> {
  const session = await getSession(request);
  if (session) await invalidateSession(session.session.id);
  return blankSessionCookie();
}

/** Changing a password signs out every session, then starts a fresh one here. */
export async function changePassword(userId: string, currentPassword: string, newPassword: string) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(user.passwordHash, currentPassword))) return { ok: false as const };
  await db.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(newPassword) } });
  await invalidateUserSessions(userId);
  return { ok: true as const, cookie: await startSession(userId) };
}
