import { z } from "zod";
import { recordAudit } from "~/audit/audit.server";
import {
  absoluteUrl,
  newUnsubscribeToken,
  optedOut as optedOutAddresses,
  queueEmail,
  unsubscribeUrl,
} from "~/email/outbox.server";
import { renderEmail, type RenderedEmail } from "~/email/templates.server";
import { localized } from "~/i18n";
import { enqueueJob, parseJson, registerJobHandler, type JobContext } from "~/jobs/queue.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { formatDate } from "~/utils/format";
import { dateOfDay, isoOfDay } from "./dates";
import { newInviteToken } from "./link.server";
import { loadGroups, untrainedPeople, type CoverageFilter } from "./report.server";
import { actorOf, COVERAGE_ROLES, scopeOf, type Actor } from "./scope.server";

// Reminders to the people of a follow-up list who are not trained yet. The
// coordinator sees who the message will reach, then a "reminders" job sends
// it: one transaction per batch writes the messages, the people's "last
// reminded" date and the audit entry, so a job resumed after a crash skips
// the people its earlier attempt already reached.

/** A person gets at most one reminder in this many days, whoever sends it. */
export const REMINDER_INTERVAL_DAYS = 7;
const BATCH_SIZE = 100;
const DAY_MS = 86_400_000;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** Which follow-up list: a group, the day it is counted on, and the units it is narrowed to (on top of the scope). */
export const ReminderListSchema = z.object({
  groupCode: z.string().regex(/^[A-Z][A-Z0-9_]{0,39}$/),
  day: z.number().int(),
  provinceId: id.optional(),
  formerProvinceId: id.optional(),
  agencyId: id.optional(),
});
export type ReminderList = z.infer<typeof ReminderListSchema>;

const ReminderPayload = z.object({
  userId: z.string().min(1),
  list: ReminderListSchema,
});
type ReminderPayload = z.infer<typeof ReminderPayload>;

export function recentCutoff(now: Date): Date {
  return new Date(now.getTime() - REMINDER_INTERVAL_DAYS * DAY_MS);
}

function filterOf(list: ReminderList): CoverageFilter & { groupCode: string } {
  return {
    groupCode: list.groupCode,
    provinceId: list.provinceId,
    formerProvinceId: list.formerProvinceId,
    agencyId: list.agencyId,
  };
}

type Candidate = {
  id: string;
  fullName: string;
  email: string | null; // the roster's, else the linked account's
  userId: string | null;
  locale: string;
  inviteToken: string | null;
  lastRemindedAt: Date | null;
  lastReminderId: string | null;
};

async function candidates(
  personIds: readonly string[],
  client: Pick<typeof db, "rosterPerson"> = db,
): Promise<Candidate[]> {
  const rows = await client.rosterPerson.findMany({
    where: { id: { in: [...personIds] } },
    select: {
      id: true,
      fullName: true,
      email: true,
      userId: true,
      inviteToken: true,
      lastRemindedAt: true,
      lastReminderId: true,
      user: { select: { email: true, locale: true } },
    },
  });
  return rows.map((p) => ({
    id: p.id,
    fullName: p.fullName,
    email: (p.email ?? p.user?.email ?? null)?.toLowerCase() ?? null,
    userId: p.userId,
    locale: p.user?.locale ?? "vi",
    inviteToken: p.inviteToken,
    lastRemindedAt: p.lastRemindedAt,
    lastReminderId: p.lastReminderId,
  }));
}

export type Exclusion = "noEmail" | "recent" | "optedOut";

/** Why a person gets no reminder now, or null when they get one. */
export function exclusion(
  person: Pick<Candidate, "email" | "lastRemindedAt">,
  optedOut: ReadonlySet<string>,
  now: Date,
): Exclusion | null {
  if (!person.email) return "noEmail";
  if (person.lastRemindedAt && person.lastRemindedAt > recentCutoff(now)) return "recent";
  if (optedOut.has(person.email)) return "optedOut";
  return null;
}

async function chunked<T, R>(items: readonly T[], size: number, fn: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let start = 0; start < items.length; start += size) out.push(...(await fn(items.slice(start, start + size))));
  return out;
}

export type ReminderPreview = {
  group: {
    code: string;
    nameVi: string;
    nameEn: string;
    deadline: string;
  } | null;
  untrained: number;
  excluded: Record<Exclusion, number>;
  reach: number;
  /** The message as the people without an account get it (invitation link), and as linked people get it. */
  message: {
    invite: RenderedEmail;
    linked: RenderedEmail;
    sampleName: string;
  } | null;
};

/** Who a reminder to this list would reach now, within the actor's scope, and the message in Vietnamese. */
export async function previewReminder(actor: Actor, list: ReminderList, now = new Date()): Promise<ReminderPreview> {
  const group = (await loadGroups()).find((g) => g.code === list.groupCode);
  const excluded: Record<Exclusion, number> = {
    noEmail: 0,
    recent: 0,
    optedOut: 0,
  };
  if (!group) return { group: null, untrained: 0, excluded, reach: 0, message: null };
  const { people } = await untrainedPeople(actor, list.day, filterOf(list), null);
  const all = await chunked(
    people.map((p) => p.id),
    5_000,
    (ids) => candidates(ids),
  );
  const optedOut = await chunked(
    [...new Set(all.flatMap((p) => (p.email ? [p.email] : [])))],
    5_000,
    async (emails) => [...(await optedOutAddresses(emails))],
  );
  const optedOutSet = new Set(optedOut);
  let sample: Candidate | undefined;
  for (const person of all) {
    const why = exclusion(person, optedOutSet, now);
    if (why) excluded[why]++;
    else sample ??= person;
  }
  const reach = all.length - excluded.noEmail - excluded.recent - excluded.optedOut;
  const sampleName = sample?.fullName ?? "";
  const render = (linked: boolean) =>
    renderEmail(
      {
        template: "reminder",
        params: {
          name: sampleName,
          group: group.nameVi,
          deadline: formatDate(dateOfDay(group.deadlineDay), "vi"),
          link: absoluteUrl(linked ? "/" : "/invite/…"),
          linked,
          unsubscribeLink: absoluteUrl("/unsubscribe/…"),
        },
      },
      "vi",
      getEnv().publicUrl,
    );
  return {
    group: {
      code: group.code,
      nameVi: group.nameVi,
      nameEn: group.nameEn,
      deadline: isoOfDay(group.deadlineDay),
    },
    untrained: people.length,
    excluded,
    reach,
    message: { invite: render(false), linked: render(true), sampleName },
  };
}

export type SendOutcome = { ok: true; jobId: string } | { ok: false; reason: "unknownGroup" | "nobody" };

/** Starts sending: a "reminders" job, which the progress page follows. */
export async function sendReminders(actor: Actor, userId: string, list: ReminderList): Promise<SendOutcome> {
  const preview = await previewReminder(actor, list);
  if (!preview.group) return { ok: false, reason: "unknownGroup" };
  if (preview.reach === 0) return { ok: false, reason: "nobody" };
  const payload: ReminderPayload = { userId, list };
  // One attempt after a crash is enough to finish; a second resumes where it stopped.
  return {
    ok: true,
    jobId: await enqueueJob("reminders", payload, {
      createdById: userId,
      maxAttempts: 3,
    }),
  };
}

export type ReminderResult = {
  sent: number;
  excluded: Record<Exclusion, number>;
  total: number;
};

/** The job: the list is computed again at send time, within the sender's scope as it is now. */
export async function runReminderJob(
  payload: ReminderPayload,
  ctx: Pick<JobContext, "job" | "progress" | "signal">,
  now = () => new Date(),
): Promise<ReminderResult> {
  const user = await db.user.findUnique({
    where: { id: payload.userId },
    select: {
      id: true,
      email: true,
      role: true,
      scopeProvinceId: true,
      scopeAgencyId: true,
      deactivatedAt: true,
    },
  });
  if (!user || user.deactivatedAt || !(COVERAGE_ROLES as readonly string[]).includes(user.role))
    throw new Error("the sender may no longer send reminders");
  const actor = actorOf(user);
  const group = (await loadGroups()).find((g) => g.code === payload.list.groupCode);
  if (!group) throw new Error(`unknown group ${payload.list.groupCode}`);
  const { people } = await untrainedPeople(actor, payload.list.day, filterOf(payload.list), null);
  const reminderId = ctx.job.id;
  const scope = scopeOf(actor);
  const excluded: Record<Exclusion, number> = {
    noEmail: 0,
    recent: 0,
    optedOut: 0,
  };
  const total = people.length;
  await ctx.progress(0, total, "sending");
  for (let start = 0; start < people.length; start += BATCH_SIZE) {
    if (ctx.signal.aborted) throw new Error("interrupted");
    const batch = people.slice(start, start + BATCH_SIZE).map((p) => p.id);
    await db.$transaction(
      async (tx) => {
        // Read again inside the transaction: another sender, or this job's
        // earlier attempt, may have reminded these people since the list was made.
        const found = await candidates(batch, tx);
        const optedOut = await optedOutAddresses(
          found.flatMap((p) => (p.email ? [p.email] : [])),
          tx,
        );
        const at = now();
        let sent = 0;
        for (const person of found) {
          if (person.lastReminderId === reminderId) continue; // reached by an earlier attempt of this job
          const why = exclusion(person, optedOut, at);
          if (why) {
            excluded[why]++;
            continue;
          }
          const inviteToken = person.userId ? person.inviteToken : (person.inviteToken ?? newInviteToken());
          const unsubscribeToken = newUnsubscribeToken();
          const locale = person.locale;
          await queueEmail(
            {
              template: "reminder",
              params: {
                name: person.fullName,
                group: localized(locale, group.nameVi, group.nameEn),
                deadline: formatDate(dateOfDay(group.deadlineDay), locale),
                link: person.userId ? absoluteUrl("/") : absoluteUrl(`/invite/${inviteToken}`),
                linked: person.userId !== null,
                unsubscribeLink: unsubscribeUrl(unsubscribeToken),
              },
              to: person.email!,
              toName: person.fullName,
              locale,
              personId: person.id,
              userId: person.userId,
              reminderId,
              unsubscribeToken,
            },
            tx,
          );
          await tx.rosterPerson.update({
            where: { id: person.id },
            data: {
              lastRemindedAt: at,
              lastReminderId: reminderId,
              inviteToken,
            },
          });
          sent++;
        }
        if (sent > 0) {
          await recordAudit(
            {
              actor: { id: user.id, email: user.email },
              action: "reminder.send",
              target: { type: "reminder", id: reminderId },
              scope: {
                provinceId: scope.provinceId ?? payload.list.provinceId ?? null,
                agencyId: scope.agencyId ?? payload.list.agencyId ?? null,
              },
              details: {
                group: group.code,
                asOf: isoOfDay(payload.list.day),
                filters: filterDetails(payload.list),
                count: sent,
                scope,
              },
            },
            tx,
          );
        }
        // A batch of a hundred messages can outlast Prisma's 5 s default on a busy database.
      },
      { timeout: 60_000, maxWait: 15_000 },
    );
    await ctx.progress(Math.min(start + BATCH_SIZE, total), total, "sending");
  }
  const sent = await db.emailMessage.count({ where: { reminderId } });
  return { sent, excluded, total };
}

function filterDetails(list: ReminderList) {
  return Object.fromEntries(
    Object.entries({
      provinceId: list.provinceId,
      formerProvinceId: list.formerProvinceId,
      agencyId: list.agencyId,
    }).filter(([, v]) => v),
  );
}

registerJobHandler("reminders", {
  payload: ReminderPayload,
  run: (payload, ctx) => runReminderJob(payload, ctx),
});

const ReminderResultSchema = z.object({
  sent: z.number(),
  total: z.number(),
  excluded: z.object({
    noEmail: z.number(),
    recent: z.number(),
    optedOut: z.number(),
  }),
});

/** A reminder job as its progress page shows it; null when it is not one this user may see. */
export async function reminderJob(jobId: string, viewer: { id: string; role: string }) {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(jobId)) return null;
  const job = await db.job.findUnique({ where: { id: jobId } });
  if (!job || job.kind !== "reminders") return null;
  if (viewer.role !== "ADMIN" && job.createdById !== viewer.id) return null;
  const result = ReminderResultSchema.safeParse(parseJson(job.result));
  const byStatus = await db.emailMessage.groupBy({
    by: ["status"],
    where: { reminderId: jobId },
    _count: { _all: true },
  });
  return {
    id: job.id,
    status: job.status,
    progressDone: job.progressDone,
    progressTotal: job.progressTotal,
    error: job.error,
    result: result.success ? result.data : null,
    messages: Object.fromEntries(byStatus.map((s) => [s.status, s._count._all])) as Partial<
      Record<"STORED" | "QUEUED" | "SENT" | "FAILED", number>
    >,
  };
}

/** Is this an unsubscribe link we sent? Says nothing else about it. */
export async function unsubscribeLinkValid(token: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(token)) return false;
  return (await db.emailMessage.count({ where: { unsubscribeToken: token } })) > 0;
}
