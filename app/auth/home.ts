import type { Role } from "~/generated/prisma-sqlite/enums";

/** Where each role starts after setting a password: the page of their main work. */
export function homeFor(role: Role): string {
  switch (role) {
    case "ADMIN":
      return "/admin/users";
    case "COORDINATOR":
      return "/coverage";
    case "TRAINER":
      return "/teach";
    case "LEARNER":
      return "/my-learning";
  }
}
