import { COMMON_PASSWORDS } from "./common-passwords";

// Length alone lets "password123" through; a list of the passwords people
// pick most often catches the ones guessed first.
let common: ReadonlySet<string> | undefined;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(COMMON_PASSWORDS);
  return common.has(password.trim().toLowerCase());
}
