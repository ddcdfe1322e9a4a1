import { parseArgs } from "node:util";
import { z } from "zod";
import { seedReferenceData } from "~/coverage/reference-data.server";
import { deliver } from "~/email/outbox.server";
import { db, retryWhenLocked } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { migrate } from "~/utils/migrate.server";
import { peopleT } from "./i18n.server";
import { CLI_PEOPLE_ACTOR, ROLES, roleHasScope, type ScopeRequest } from "./rules";
import { changeRoleAndScope, inviteUser, listUsers, USERS_PAGE_SIZE, type PeopleError } from "./users.server";

// `npm run user -- create|list|set-role …`: the way to the first admin of an
// installation, and to people management from a shell. The command line acts
// as an administrator (it holds the database) and is audited as "cli"; the
// same rules hold as on /admin/users, the last-admin rule included.
// Exit status: 0 done, 2 bad input or a refusal (nothing changed), 1 a failure.

export const USAGE = `usage:
  npm run user -- create --email <address> --name <name> --role ADMIN|TRAINER|COORDINATOR|LEARNER
                         [--province <any of the 34 current or 63 former names>] [--agency <code>] [--locale vi|en]
  npm run user -- list [--role ADMIN|TRAINER|COORDINATOR|LEARNER]
  npm run user -- set-role --email <address> --role <role> [--province <name> | --agency <code> | --national]`;

const role = z.enum(ROLES, { message: `--role must be one of ${ROLES.join(", ")}` });
const email = z
  .string({ message: "--email is required" })
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "--email must be an email address" }));
const unit = z.string().trim().min(1, "--province and --agency need a value").optional();

const oneScope = (v: { province?: string; agency?: string; national?: boolean }) =>
  [v.province, v.agency, v.national || undefined].filter(Boolean).length <= 1;
const ONE_SCOPE = { message: "give at most one of --province, --agency and --national" };

const CommandSchema = z.discriminatedUnion("command", [
  z
    .object({
      command: z.literal("create"),
      email,
      name: z
        .string({ message: "--name is required" })
        .trim()
        .min(2, "--name needs 2 to 120 characters")
        .max(120, "--name needs 2 to 120 characters"),
      role: role,
      province: unit,
      agency: unit,
      locale: z.enum(["vi", "en"], { message: "--locale must be vi or en" }).default("vi"),
    })
    .refine(oneScope, ONE_SCOPE),
  z.object({ command: z.literal("list"), role: role.optional() }),
  z
    .object({
      command: z.literal("set-role"),
      email,
      role,
      province: unit,
      agency: unit,
      national: z.boolean().optional(),
    })
    .refine(oneScope, ONE_SCOPE),
]);

export type CliIo = { out: (text: string) => void; err: (text: string) => void };

const processIo: CliIo = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };

function scopeFrom(args: { province?: string; agency?: string }): ScopeRequest {
  if (args.province) return { kind: "province", province: args.province };
  if (args.agency) return { kind: "agency", agency: args.agency };
  return { kind: "national" };
}

/** Migrates an empty database and loads the reference data (provinces, agencies) the scopes need. */
async function prepare(io: CliIo) {
  const applied = await migrate(getEnv().DATABASE_URL);
  if (applied.length) io.err(`Applied migrations: ${applied.join(", ")}\n`);
  await seedReferenceData();
}

async function refusal(io: CliIo, error: PeopleError): Promise<number> {
  const { t } = await peopleT("en");
  io.err(`${t(`errors.${error}`)}\n`);
  return 2;
}

export async function runUserCli(argv: string[], io: CliIo = processIo): Promise<number> {
  let parsed;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        email: { type: "string" },
        name: { type: "string" },
        role: { type: "string" },
        province: { type: "string" },
        agency: { type: "string" },
        locale: { type: "string" },
        national: { type: "boolean" },
      },
    });
    if (positionals.length > 1) throw new Error(`unexpected argument: ${positionals[1]}`);
    parsed = CommandSchema.safeParse({ command: positionals[0], ...values });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) =>
      issue.path[0] === "command" ? "the command must be create, list or set-role" : issue.message,
    );
    io.err(`${[...new Set(messages)].join("\n")}\n${USAGE}\n`);
    return 2;
  }
  const args = parsed.data;
  if (args.command !== "list" && (args.province || args.agency) && !roleHasScope(args.role)) {
    io.err(
      `Note: a${args.role === "ADMIN" ? "n" : ""} ${args.role} is national; --province and --agency are ignored.\n`,
    );
  }
  await prepare(io);

  if (args.command === "list") {
    const rows: string[][] = [["email", "name", "role", "scope", "status"]];
    for (let page = 1; ; page++) {
      const { users, total } = await listUsers(CLI_PEOPLE_ACTOR, { role: args.role, page });
      for (const u of users) {
        const scope = u.scopeProvince?.nameVi ?? u.scopeAgency?.code ?? "national";
        const status = [
          u.deactivatedAt ? "deactivated" : "active",
          u.throttled ? "throttled" : null,
          u.emailVerifiedAt ? null : "unverified",
        ]
          .filter(Boolean)
          .join(",");
        rows.push([u.email, u.name, u.role, scope, status]);
      }
      if (page * USERS_PAGE_SIZE >= total) break;
    }
    io.out(table(rows));
    return 0;
  }

  if (args.command === "set-role") {
    const user = await db.user.findUnique({
      where: { email: args.email },
      select: { scopeProvinceId: true, scopeAgencyId: true },
    });
    if (!user) return refusal(io, "notFound");
    // Without a scope option a coordinator or trainer keeps the unit they have.
    const scope: ScopeRequest =
      args.province || args.agency || args.national
        ? scopeFrom(args)
        : user.scopeProvinceId
          ? { kind: "province", province: user.scopeProvinceId }
          : user.scopeAgencyId
            ? { kind: "agency", agency: user.scopeAgencyId }
            : { kind: "national" };
    // Beside a running server on SQLite, a transaction may meet its writes.
    const result = await retryWhenLocked(() =>
      changeRoleAndScope(CLI_PEOPLE_ACTOR, { email: args.email }, { role: args.role, scope }),
    );
    if (!result.ok) return refusal(io, result.error);
    const after = await db.user.findUniqueOrThrow({
      where: { email: args.email },
      select: { role: true, scopeProvince: { select: { nameVi: true } }, scopeAgency: { select: { code: true } } },
    });
    io.out(
      `${result.changed ? "Updated" : "Unchanged"}: ${args.email} is ${after.role}, ${after.scopeProvince?.nameVi ?? after.scopeAgency?.code ?? "national"}\n`,
    );
    return 0;
  }

  const result = await retryWhenLocked(() =>
    inviteUser(CLI_PEOPLE_ACTOR, {
      email: args.email,
      name: args.name,
      role: args.role,
      scope: scopeFrom(args),
      locale: args.locale,
    }),
  );
  if (!result.ok) return refusal(io, result.error);
  io.out(
    `Created ${args.email} (${args.role}).\nOne-time link to set the password (valid 24 hours):\n${result.link}\n`,
  );
  if (getEnv().mail === "outbox") {
    io.err(
      "SMTP_URL is not set: the invitation email is kept in the outbox, not sent. Give the person the link above.\n",
    );
    return 0;
  }
  // The server's job runner may not be running: send it now.
  try {
    await deliver(result.messageId);
    io.err(`Invitation email sent to ${args.email}.\n`);
  } catch (error) {
    io.err(
      `Invitation email NOT sent (${(error as Error).message}). It stays queued and is retried by the server; the link above works.\n`,
    );
  }
  return 0;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => cell + " ".repeat(widths[i]! - [...cell].length))
          .join("  ")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}
