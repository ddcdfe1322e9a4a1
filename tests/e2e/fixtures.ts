import { randomUUID } from "node:crypto";
import { test as base, type Page } from "@playwright/test";
import { E2E_DATABASE_URL } from "./server-data";

export { expect, type Browser, type Page } from "@playwright/test";

export type SignedIn = { id: string; email: string };

/**
 * Signs `on` (the test's page by default) in as `email`, or as a new verified
 * learner without it, by writing a session where the server keeps them and
 * setting its cookie: the Epic Stack's `login` fixture. For specs where
 * signing in is not what is tested; `loginThroughForm` (helpers.ts) and the
 * sign-up specs keep the real form covered.
 */
export type Login = (email?: string, on?: Page) => Promise<SignedIn>;

type ServerModules = {
  db: (typeof import("~/utils/db.server"))["db"];
  sessions: typeof import("~/auth/session.server");
};

export const test = base.extend<{ login: Login }, { app: ServerModules }>({
  // The app's own session code, pointed at the e2e server's database: the
  // environment is read once, on the first import, so it is set before.
  app: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function asks for from its first parameter, which must be an object pattern
    async ({}, use) => {
      process.env.DATABASE_URL = E2E_DATABASE_URL;
      const [{ db }, sessions] = await Promise.all([import("~/utils/db.server"), import("~/auth/session.server")]);
      await use({ db, sessions });
      await db.$disconnect();
    },
    { scope: "worker" },
  ],

  login: async ({ page, app }, use) => {
    const { db, sessions } = app;
    const sessionIds: string[] = [];
    await use(async (email, on = page) => {
      const user = email
        ? await db.user.findUniqueOrThrow({ where: { email }, select: { id: true, email: true } })
        : await db.user.create({
            data: {
              email: `e2e-${randomUUID().slice(0, 8)}@example.vn`,
              name: "Học viên E2E",
              passwordHash: "!",
              emailVerifiedAt: new Date(),
            },
            select: { id: true, email: true },
          });
      const token = sessions.generateSessionToken();
      const session = await sessions.createSession(token, user.id);
      sessionIds.push(session.id);
      // The attributes of sessionCookie() on the production server.
      await on.context().addCookies([
        {
          name: sessions.SESSION_COOKIE,
          value: token,
          domain: "localhost",
          path: "/",
          httpOnly: true,
          secure: true,
          sameSite: "Lax",
          expires: Math.floor(session.expiresAt.getTime() / 1000),
        },
      ]);
      return user;
    });
    await db.session.deleteMany({ where: { id: { in: sessionIds } } });
  },
});
