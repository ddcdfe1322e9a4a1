import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { runUserCli } from "./cli.server";

// The command line against this file's database, with SMTP unset: the
// invitation is stored in the outbox and the link is printed.

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await runUserCli(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

async function snapshot() {
  const [users, tokens, emails, audits] = await Promise.all([
    db.user.findMany({
      orderBy: { email: "asc" },
      select: { email: true, role: true, scopeProvinceId: true, scopeAgencyId: true, deactivatedAt: true },
    }),
    db.accountToken.count(),
    db.emailMessage.count(),
    db.auditEvent.count(),
  ]);
  return { users, tokens, emails, audits };
}

describe("npm run user -- create", () => {
  it("creates the first admin and prints the one-time link", async () => {
    const { code, out, err } = await run(
      "create",
      "--email",
      "QuanTri@Example.vn",
      "--name",
      "Quản Trị Viên",
      "--role",
      "ADMIN",
    );
    expect(code).toBe(0);
    expect(out).toMatch(
      /^Created quantri@example\.vn \(ADMIN\)\.\nOne-time link to set the password \(valid 24 hours\):\nhttp:\/\/localhost:3000\/set-password\/[a-z2-7]{32}\n$/,
    );
    expect(err).toContain("SMTP_URL is not set");
    const user = await db.user.findUniqueOrThrow({ where: { email: "quantri@example.vn" } });
    expect(user).toMatchObject({ role: "ADMIN", emailVerifiedAt: null, locale: "vi" });
    expect(await db.emailMessage.findFirstOrThrow({ where: { userId: user.id } })).toMatchObject({
      template: "invite",
      status: "STORED",
    });
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: user.id } });
    expect(event).toMatchObject({ action: "user.create", actorId: null, actorEmail: "cli" });
  });

  it("takes a former province name and stores its current unit", async () => {
    const { code } = await run(
      "create",
      "--email",
      "dieuphoi@example.vn",
      "--name",
      "Điều Phối",
      "--role",
      "COORDINATOR",
      "--province",
      "Bà Rịa - Vũng Tàu",
      "--locale",
      "en",
    );
    expect(code).toBe(0);
    const user = await db.user.findUniqueOrThrow({
      where: { email: "dieuphoi@example.vn" },
      include: { scopeProvince: true },
    });
    expect([user.scopeProvince?.code, user.locale]).toEqual(["cur-ho-chi-minh", "en"]);
  });

  it("refuses bad input with status 2 and writes nothing", async () => {
    await run("create", "--email", "co@example.vn", "--name", "Có Rồi", "--role", "TRAINER");
    const before = await snapshot();
    const bad: string[][] = [
      [],
      ["nonsense"],
      ["create", "--email", "not-an-email", "--name", "Ai Đó", "--role", "TRAINER"],
      ["create", "--email", "a@example.vn", "--name", "Ai Đó", "--role", "KING"],
      ["create", "--email", "a@example.vn", "--role", "TRAINER"],
      ["create", "--email", "a@example.vn", "--name", "Ai Đó", "--role", "TRAINER", "--locale", "fr"],
      ["create", "--email", "a@example.vn", "--name", "Ai Đó", "--role", "TRAINER", "--province", "Atlantis"],
      ["create", "--email", "a@example.vn", "--name", "Ai Đó", "--role", "TRAINER", "--agency", "NOPE"],
      [
        "create",
        "--email",
        "a@example.vn",
        "--name",
        "Ai Đó",
        "--role",
        "TRAINER",
        "--province",
        "Huế",
        "--agency",
        "MOJ",
      ],
      ["create", "--email", "CO@example.vn", "--name", "Trùng Email", "--role", "ADMIN"],
      ["create", "--email", "a@example.vn", "--name", "Ai Đó", "--role", "TRAINER", "--unknown-flag"],
      ["list", "--role", "KING"],
      ["set-role", "--email", "co@example.vn"],
      ["set-role", "--email", "nobody@example.vn", "--role", "ADMIN"],
      ["set-role", "--email", "co@example.vn", "--role", "COORDINATOR", "--province", "Huế", "--national"],
    ];
    for (const argv of bad) {
      const result = await run(...argv);
      expect([argv, result.code, result.out]).toEqual([argv, 2, ""]);
      expect(result.err.trim()).not.toBe("");
    }
    expect(await snapshot()).toEqual(before);
    expect((await run("create", "--email", "CO@example.vn", "--name", "Trùng Email", "--role", "ADMIN")).err).toContain(
      "already has an account",
    );
  });
});

describe("npm run user -- list", () => {
  it("prints a table, filtered by role", async () => {
    await run("create", "--email", "gv@example.vn", "--name", "Giảng Viên", "--role", "TRAINER", "--agency", "MOJ");
    const { code, out } = await run("list", "--role", "TRAINER");
    expect(code).toBe(0);
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^email\s+name\s+role\s+scope\s+status$/);
    expect(lines.slice(1).every((line) => /\sTRAINER\s/.test(line))).toBe(true);
    expect(lines.find((line) => line.startsWith("gv@example.vn"))).toMatch(
      /^gv@example\.vn\s+Giảng Viên\s+TRAINER\s+MOJ\s+active,unverified$/,
    );
    expect((await run("list")).out).toContain("quantri@example.vn");
  });
});

describe("npm run user -- set-role", () => {
  it("changes role and scope, audited as the command line", async () => {
    await run("create", "--email", "hv@example.vn", "--name", "Học Viên", "--role", "LEARNER");
    const { code, out } = await run(
      "set-role",
      "--email",
      "HV@example.vn",
      "--role",
      "COORDINATOR",
      "--province",
      "Hà Giang",
    );
    expect([code, out]).toEqual([0, "Updated: hv@example.vn is COORDINATOR, Tuyên Quang\n"]);
    // Without a scope option the unit stays; --national clears it.
    expect((await run("set-role", "--email", "hv@example.vn", "--role", "TRAINER")).out).toBe(
      "Updated: hv@example.vn is TRAINER, Tuyên Quang\n",
    );
    expect((await run("set-role", "--email", "hv@example.vn", "--role", "TRAINER", "--national")).out).toBe(
      "Updated: hv@example.vn is TRAINER, national\n",
    );
    const user = await db.user.findUniqueOrThrow({ where: { email: "hv@example.vn" } });
    const events = await db.auditEvent.findMany({ where: { targetId: user.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.action, e.actorEmail])).toEqual([
      ["user.create", "cli"],
      ["user.role", "cli"],
      ["user.scope", "cli"],
      ["user.role", "cli"],
      ["user.scope", "cli"],
    ]);
  });

  it("keeps the last active admin", async () => {
    await db.user.updateMany({
      where: { role: "ADMIN", email: { not: "quantri@example.vn" } },
      data: { deactivatedAt: new Date() },
    });
    const before = await snapshot();
    const { code, err } = await run("set-role", "--email", "quantri@example.vn", "--role", "LEARNER");
    expect(code).toBe(2);
    expect(err).toContain("last active administrator");
    expect(await snapshot()).toEqual(before);
  });
});
