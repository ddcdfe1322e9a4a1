import { absoluteUrl, queueEmail } from "~/email/outbox.server";
import type { EmailTemplate } from "~/email/templates.server";
import type { Role } from "~/generated/prisma-sqlite/enums";
import { db, type DbClient } from "~/utils/db.server";
import { createAccountToken, tokenPath, type AccountTokenKind } from "./tokens.server";

// The account emails: an invitation to set a first password, a password
// reset, an address verification, and "you already have an account". Each
// link email makes a fresh single-use link and queues the message in the
// caller's transaction; it returns the link too, for the command line to print.

type Recipient = { id: string; email: string; name: string; locale: string };
type Sent = { link: string; messageId: string };

async function sendLink(
  user: Recipient,
  kind: AccountTokenKind,
  email: (link: string) => EmailTemplate,
  client: DbClient,
): Promise<Sent> {
  const link = absoluteUrl(tokenPath(kind, await createAccountToken(user.id, kind, client)));
  const messageId = await queueEmail(
    { ...email(link), to: user.email, toName: user.name, locale: user.locale, userId: user.id },
    client,
  );
  return { link, messageId };
}

export function sendSetPasswordLink(
  user: Recipient & { role: Role },
  inviter: string,
  client: DbClient = db,
): Promise<Sent> {
  return sendLink(
    user,
    "SET_PASSWORD",
    (link) => ({ template: "invite", params: { name: user.name, inviter, role: user.role, link } }),
    client,
  );
}

export function sendPasswordResetLink(user: Recipient, client: DbClient = db): Promise<Sent> {
  return sendLink(
    user,
    "RESET_PASSWORD",
    (link) => ({ template: "reset", params: { name: user.name, email: user.email, link } }),
    client,
  );
}

/** `next`: where the link leads once it has verified the address and signed the person in. */
export function sendVerificationLink(user: Recipient, client: DbClient = db, next?: string): Promise<Sent> {
  const withNext = (link: string) => (next ? `${link}?next=${encodeURIComponent(next)}` : link);
  return sendLink(
    user,
    "VERIFY_EMAIL",
    (link) => ({ template: "verify", params: { name: user.name, email: user.email, link: withNext(link) } }),
    client,
  );
}

/** Sign-up with an address that has an account: say so to the address, not to whoever signed up. */
export async function sendAccountExists(user: Recipient, client: DbClient = db): Promise<string> {
  const params = {
    name: user.name,
    email: user.email,
    link: absoluteUrl("/login"),
    resetLink: absoluteUrl("/forgot-password"),
  };
  return queueEmail(
    { template: "accountExists", params, to: user.email, toName: user.name, locale: user.locale, userId: user.id },
    client,
  );
}
