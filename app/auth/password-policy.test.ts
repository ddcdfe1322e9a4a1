import { describe, expect, it } from "vitest";
import { COMMON_PASSWORDS } from "./common-passwords";
import { ChangePasswordFormSchema, NewPasswordFormSchema, SignupFormSchema } from "./forms";
import { isCommonPassword } from "./password-policy";

const COMMON = ["password123", "1234567890", "qwertyuiop", "Password123", " password123 "];
const FINE = "song-huong-2026";

describe("password policy", () => {
  it("ships the 10,000 most common passwords", () => {
    expect(COMMON_PASSWORDS).toHaveLength(10_000);
    expect(COMMON_PASSWORDS.slice(0, 2)).toEqual(["123456", "password"]);
  });

  it("knows a common password whatever its case", () => {
    for (const password of COMMON) expect(isCommonPassword(password), password).toBe(true);
    expect(isCommonPassword(FINE)).toBe(false);
  });

  // Sign-up, the invitation and reset links, and the account page: every form that sets a password.
  const forms = {
    signup: (password: string) =>
      SignupFormSchema.safeParse({ name: "Lan", email: "lan@example.vn", password, confirmPassword: password }),
    link: (password: string) => NewPasswordFormSchema.safeParse({ password, confirmPassword: password }),
    account: (password: string) =>
      ChangePasswordFormSchema.safeParse({ currentPassword: "x", newPassword: password, confirmPassword: password }),
  };

  it.each(Object.entries(forms))("%s refuses a common or short password and takes a good one", (_, parse) => {
    const common = parse("password123");
    expect(common.success).toBe(false);
    expect(common.error?.issues.map((issue) => issue.message)).toEqual(["validation.passwordCommon"]);
    expect(parse("short-pw").error?.issues.map((issue) => issue.message)).toContain("validation.passwordLength");
    expect(parse(FINE).success).toBe(true);
  });
});
