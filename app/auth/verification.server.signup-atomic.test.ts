import { describe, expect, it, vi } from "vitest";
import { db } from "~/utils/db.server";
import { signUp } from "./verification.server";

// The outbox write fails: the account must not stay behind without the link
// that verifies it.
vi.mock("./account-email.server", () => ({
  sendVerificationLink: vi.fn(async () => {
    throw new Error("outbox unavailable");
  }),
}));

describe("sign-up", () => {
  it("writes no account when its verification email cannot be queued", async () => {
    await expect(
      signUp({ email: "nguyen@example.vn", name: "Nguyễn Văn C", password: "mot-mat-khau", locale: "vi" }),
    ).rejects.toThrow("outbox unavailable");
    expect(await db.user.count({ where: { email: "nguyen@example.vn" } })).toBe(0);
  });
});
