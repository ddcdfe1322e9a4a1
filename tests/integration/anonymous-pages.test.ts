// The pages only a signed-out person needs send anyone signed in to their
// learning instead of showing a form they cannot use.
import { describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { loader as forgotPassword } from "~/routes/forgot-password";
import { loader as login } from "~/routes/login";
import { loader as signup } from "~/routes/signup";
import { createLearner } from "../helpers/fixtures";

const PAGES = { "/login": login, "/signup": signup, "/forgot-password": forgotPassword };

async function outcome(loader: (typeof PAGES)[keyof typeof PAGES], path: string, cookie?: string) {
  const request = new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} });
  try {
    await loader({ request, params: {}, context: {} });
    return "page";
  } catch (thrown) {
    if (thrown instanceof Response) return `${thrown.status} ${thrown.headers.get("Location")}`;
    throw thrown;
  }
}

describe("requireAnonymous", () => {
  it("sends a signed-in person from login, signup and forgot-password to My learning", async () => {
    const { id } = await createLearner();
    const token = generateSessionToken();
    await createSession(token, id);
    for (const [path, loader] of Object.entries(PAGES)) {
      expect(await outcome(loader, path, `${SESSION_COOKIE}=${token}`), path).toBe("302 /my-learning");
    }
  });

  it("shows the pages to a signed-out visitor", async () => {
    for (const [path, loader] of Object.entries(PAGES)) expect(await outcome(loader, path), path).toBe("page");
  });
});
