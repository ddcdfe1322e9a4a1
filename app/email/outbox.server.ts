import { randomBytes } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import { z } from "zod";
import { sortableId } from "~/utils/ids.server";
import { enqueueJob, registerJobHandler } from "~/jobs/queue.server";
import { db, type DbClient } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { renderEmail, emailLanguage, type EmailTemplate } from "./templates.server";

// Every email is a row in EmailMessage first, written in the same
// transaction as the change that sends it (an invitation and its account, a
// reminder and the person's "last reminded" date). With SMTP_URL set, an
// "email" job sends it, retried with back-off; the message shows queued, sent
// or failed with the server's reply. Without SMTP_URL the message is STORED
// and shown to admins at /admin/outbox: nothing is silently dropped.

export type QueueEmailInput = EmailTemplate & {
  to: string;
  toName?: string | null;
  locale: string;
  userId?: string | null;
  personId?: string | null;
  reminderId?: string | null;
  /** For reminders: the token of the message's unsubscribe link (see unsubscribeUrl). */
  unsubscribeToken?: string | null;
};

/** An absolute link to a path of the platform (PUBLIC_URL). */
export function absoluteUrl(path: string): string {
  return `${getEnv().publicUrl}${path.startsWith("/") ? path : `/${path}`}`;
}

export function newUnsubscribeToken(): string {
  return randomBytes(18).toString("base64url");
}

export function unsubscribeUrl(token: string): string {
  return absoluteUrl(`/unsubscribe/${token}`);
}

/** Emails get this many tries (15 s, 1 min, 4 min, 16 min, 1 h apart). */
export const EMAIL_ATTEMPTS = 6;

/** Stores a message and (with SMTP) queues its sending. Returns the message id. */
export async function queueEmail(input: QueueEmailInput, client: DbClient = db): Promise<string> {
  const env = getEnv();
  const locale = emailLanguage(input.locale);
  const rendered = renderEmail(
    { template: input.template, params: input.params } as EmailTemplate,
    locale,
    env.publicUrl,
  );
  const id = sortableId();
  await client.emailMessage.create({
    data: {
      id,
      toEmail: input.to.toLowerCase(),
      toName: input.toName ?? null,
      locale,
      template: input.template,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      status: env.mail === "smtp" ? "QUEUED" : "STORED",
      unsubscribeToken: input.unsubscribeToken ?? null,
      userId: input.userId ?? null,
      personId: input.personId ?? null,
      reminderId: input.reminderId ?? null,
    },
  });
  if (env.mail === "smtp") await enqueueJob("email", { messageId: id }, { maxAttempts: EMAIL_ATTEMPTS }, client);
  return id;
}

let transporter: Transporter | null = null;

function transport(): Transporter {
  const { SMTP_URL } = getEnv();
  if (!SMTP_URL) throw new Error("SMTP_URL is not set");
  // Short timeouts: a dead server fails the attempt, and the job retries later.
  transporter ??= nodemailer.createTransport(SMTP_URL, {
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  } as Parameters<typeof nodemailer.createTransport>[1]);
  return transporter;
}

/** For tests that change SMTP_URL between runs. */
export function resetTransport() {
  transporter?.close();
  transporter = null;
}

/** Sends one stored message now; records SENT or the server's reply. Throws on failure (for the job to retry). */
export async function deliver(messageId: string): Promise<"sent" | "skipped"> {
  const message = await db.emailMessage.findUnique({ where: { id: messageId } });
  if (!message || message.status === "SENT" || message.status === "STORED") return "skipped";
  const env = getEnv();
  try {
    const unsubscribe = message.unsubscribeToken ? unsubscribeUrl(message.unsubscribeToken) : null;
    await transport().sendMail({
      from: env.MAIL_FROM,
      to: message.toName ? { name: message.toName, address: message.toEmail } : message.toEmail,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: { "X-Tap-Huan-Message": message.id },
      ...(unsubscribe ? { list: { unsubscribe: { url: unsubscribe, comment: "Unsubscribe" } } } : {}),
    });
    await db.emailMessage.update({
      where: { id: messageId },
      data: { status: "SENT", sentAt: new Date(), attempts: { increment: 1 }, lastError: null },
    });
    return "sent";
  } catch (error) {
    const reply = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    await db.emailMessage.update({ where: { id: messageId }, data: { attempts: { increment: 1 }, lastError: reply } });
    logger.warn({ message: messageId, reply }, "email not sent");
    throw error;
  }
}

registerJobHandler("email", {
  payload: z.object({ messageId: z.string().min(1) }),
  run: async ({ messageId }) => ({ outcome: await deliver(messageId) }),
  failed: async ({ messageId }, error) => {
    await db.emailMessage.updateMany({
      where: { id: messageId, status: { not: "SENT" } },
      data: { status: "FAILED", lastError: error.slice(0, 1000) },
    });
  },
});

/** Addresses that unsubscribed from reminders. */
export async function optedOut(emails: readonly string[], client: DbClient = db): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await client.emailOptOut.findMany({
    where: { email: { in: emails.map((e) => e.toLowerCase()) } },
    select: { email: true },
  });
  return new Set(rows.map((r) => r.email));
}

/** Opens an unsubscribe link: the address gets no more reminders. */
export async function unsubscribe(token: string): Promise<{ email: string } | null> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(token)) return null;
  const message = await db.emailMessage.findUnique({ where: { unsubscribeToken: token }, select: { toEmail: true } });
  if (!message) return null;
  await db.emailOptOut.upsert({ where: { email: message.toEmail }, create: { email: message.toEmail }, update: {} });
  return { email: message.toEmail };
}

/** Admin's view of the outbox, newest first. */
export async function listOutbox(options: {
  status?: "STORED" | "QUEUED" | "SENT" | "FAILED";
  q?: string;
  skip?: number;
  take?: number;
}) {
  const where = {
    ...(options.status ? { status: options.status } : {}),
    ...(options.q
      ? { OR: [{ toEmail: { contains: options.q.toLowerCase() } }, { subject: { contains: options.q } }] }
      : {}),
  };
  const [total, messages] = await Promise.all([
    db.emailMessage.count({ where }),
    db.emailMessage.findMany({
      where,
      orderBy: { id: "desc" },
      skip: options.skip ?? 0,
      take: options.take ?? 50,
      select: {
        id: true,
        toEmail: true,
        toName: true,
        subject: true,
        template: true,
        status: true,
        attempts: true,
        lastError: true,
        createdAt: true,
        sentAt: true,
        text: true,
      },
    }),
  ]);
  return { total, messages };
}

/** Sends a failed message again (admin): queued with a fresh set of attempts. */
export async function retryMessage(messageId: string): Promise<"queued" | "not-failed" | "no-smtp"> {
  if (getEnv().mail !== "smtp") return "no-smtp";
  return db.$transaction(async (tx) => {
    const { count } = await tx.emailMessage.updateMany({
      where: { id: messageId, status: "FAILED" },
      data: { status: "QUEUED" },
    });
    if (count !== 1) return "not-failed" as const;
    await enqueueJob("email", { messageId }, { maxAttempts: EMAIL_ATTEMPTS }, tx);
    return "queued" as const;
  });
}
