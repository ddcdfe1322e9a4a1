import { hashPassword } from "~/auth/password.server";
import type { Role } from "~/generated/prisma-sqlite/enums";
import { db } from "~/utils/db.server";

// The reference data lives with the domain that owns it; the command-line tools
// of coverage and people load it too.
export { seedReferenceData } from "~/coverage/reference-data.server";

export const DEMO_PASSWORD = "taphuan-demo-2026";

export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: "hocvien@taphuan.vn", name: "Nguyễn Văn Học", role: "LEARNER" },
  { email: "giangvien@taphuan.vn", name: "Trần Thị Giảng", role: "TRAINER" },
  { email: "dieuphoi@taphuan.vn", name: "Lê Minh Điều", role: "COORDINATOR" },
  { email: "quantri@taphuan.vn", name: "Phạm Quản Trị", role: "ADMIN" },
];

/** One account per role, created once; later runs leave them (and their passwords) alone. */
export async function seedDemoUsers() {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const user of DEMO_USERS) {
    await db.user.upsert({
      where: { email: user.email },
      create: { ...user, passwordHash, emailVerifiedAt: new Date() },
      update: {},
    });
  }
}
