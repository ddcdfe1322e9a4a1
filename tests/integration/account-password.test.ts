// Changing the password without JavaScript: the form posts, Remix runs the
// action and then, in the same request, the page's loader. The user must
// stay signed in here and be signed out everywhere else.
import { describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE, validateSessionToken } from "~/auth/session.server";
import { action, loader } from "~/routes/account";
import { answerOf } from "../helpers/answer";
import { createLearner } from "../helpers/fixtures";

function post(cookie: string, fields: Record<string, string>) {
  return new Request("http://localhost/account", {
    method: "POST",
    headers: { Cookie: cookie },
    body: new URLSearchParams(fields),
  });
}

async function signedIn(userId: string) {
  const token = generateSessionToken();
  await createSession(token, userId);
  return token;
}

describe("changing the password without JavaScript", () => {
  it("keeps this browser signed in with a fresh session and ends every other one", async () => {
    const { id: userId } = await createLearner();
    const here = await signedIn(userId);
    const elsewhere = await signedIn(userId);

    const response = (await action({
      request: post(`${SESSION_COOKIE}=${here}`, {
        currentPassword: "mat-khau-dai-du",
        newPassword: "mot-mat-khau-moi-123",
        confirmPassword: "mot-mat-khau-moi-123",
      }),
      params: {},
      context: {},
    })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/account?password=changed");
    const fresh = /th_session=([^;]+)/.exec(response.headers.get("Set-Cookie") ?? "")?.[1];
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(here);

    // The browser follows the redirect with the new cookie: the page shows, with its notice.
    const page = await loader({
      request: new Request("http://localhost/account?password=changed", {
        headers: { Cookie: `${SESSION_COOKIE}=${fresh}` },
      }),
      params: {},
      context: {},
    });
    expect(page).toMatchObject({ passwordChanged: true });
    expect(await validateSessionToken(fresh!)).not.toBeNull();
    expect(await validateSessionToken(here)).toBeNull();
    expect(await validateSessionToken(elsewhere)).toBeNull();
  });

  it("a wrong current password changes nothing and answers 400 on the same page", async () => {
    const { id: userId } = await createLearner();
    const here = await signedIn(userId);
    const answer = await answerOf(
      await action({
        request: post(`${SESSION_COOKIE}=${here}`, {
          currentPassword: "sai-mat-khau-roi",
          newPassword: "mot-mat-khau-moi-123",
          confirmPassword: "mot-mat-khau-moi-123",
        }),
        params: {},
        context: {},
      }),
    );
    expect(answer).toEqual({
      status: 400,
      body: { status: "invalid", fieldErrors: { currentPassword: "validation.wrongPassword" } },
    });
    expect(await validateSessionToken(here)).not.toBeNull();
  });
});
