import { absoluteUrl, queueEmail } from "~/email/outbox.server";
import type { Role } from "~/generated/prisma-sqlite/enums";
import { db, type DbClient } from "~/utils/db.server";
import { createAccountToken, tokenPath } from "./tokens.server";

// The three account emails: an invitation to set a first password, a
// password reset, and an address verification. Each makes a fresh single-use
// link and queues the message in the caller's transaction; it returns the
// link too, for the command line to print.

type Recipient = { id: string; email: string; name: string; locale: string };

export async function sendSetPasswordLink(
  user: Recipient & { role: Role },
  inviter: string,
  client: DbClient = db,
): Promise<{ link: string; messageId: string }> {
  const link = absoluteUrl(tokenPath("SET_PASSWORD", await createAccountToken(user.id, "SET_PASSWORD", client)));
  const messageId = await queueEmail(
    { template: "invite", params: { name: user.name, inviter, role: user.role, link }, to: user.email, toName: user.name, locale: user.locale, userId: user.id },
    client,
  );
  return { link, messageId };
}

export async function sendPasswordResetLink(user: Recipient, client: DbClient = db): Promise<{ link: string; messageId: string }> {
  const link = absoluteUrl(tokenPath("RESET_PASSWORD", await createAccountToken(user.id, "RESET_PASSWORD", client)));
  const messageId = await queueEmail(
    { template: "reset", params: { name: user.name, email: user.email, link }, to: user.email, toName: user.name, locale: user.locale, userId: user.id },
    client,
  );
  return { link, messageId };
}

export async function sendVerificationLink(user: Recipient, client: DbClient = db): Promise<{ link: string; messageId: string }> {
  const link = absoluteUrl(tokenPath("VERIFY_EMAIL", await createAccountToken(user.id, "VERIFY_EMAIL", client)));
  const messageId = await queueEmail(
    { template: "verify", params: { name: user.name, email: user.email, link }, to: user.email, toName: user.name, locale: user.locale, userId: user.id },
    client,
  );
  return { link, messageId };
}
