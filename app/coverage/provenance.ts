import { z } from "zod";
import { localized } from "~/i18n";
import { formatClock } from "~/utils/format";
import { parseStoredJsonOr } from "~/utils/stored-json";
import { watchedPercentOf } from "~/catalog/watched-percent";

// Where a training record came from, as the person page and the exports show
// it. An online record carries a snapshot of what the completion rested on
// (docs/decisions/025-training-provenance.md): progress rows change or vanish
// later, the evidence behind a counted training must not.

export const LessonEvidenceSchema = z.object({
  lessonId: z.string(),
  title: z.string(),
  titleEn: z.string().nullable().optional(),
  durationSeconds: z.number().nullable(),
  watchedSeconds: z.number(),
  /** Share of the video watched, 0–100, whole percent. */
  watchedPercent: z.number(),
  /** Server-measured playing time. */
  viewSeconds: z.number(),
  /** Best knowledge-check score, null when the lesson has none or it was never tried. */
  quizScorePercent: z.number().nullable(),
  quizAttempts: z.number(),
});

export const OnlineEvidenceSchema = z.object({
  takenAt: z.string(),
  viewSeconds: z.number(),
  lessons: z.array(LessonEvidenceSchema),
});
export type OnlineEvidence = z.infer<typeof OnlineEvidenceSchema>;
export type LessonEvidence = z.infer<typeof LessonEvidenceSchema>;

/**
 * TrainingRecord.evidence, checked; null when absent or unreadable. Null is
 * what records made before snapshots have, and pages show it as "no details".
 */
export function parseEvidence(json: string | null): OnlineEvidence | null {
  return json === null ? null : parseStoredJsonOr("TrainingRecord.evidence", OnlineEvidenceSchema, json, null);
}

export function serializeEvidence(evidence: OnlineEvidence): string {
  return JSON.stringify(evidence);
}

export { watchedPercentOf };

export type TrainingSourceCode = "ONLINE" | "IMPORT" | "MANUAL";

export type Provenance =
  | { source: "ONLINE"; completionId: string | null; certificateCode: string | null; evidence: OnlineEvidence | null }
  | {
      source: "IMPORT";
      importId: string | null;
      fileName: string | null;
      row: number | null;
      importedBy: string | null;
      importedAt: string | null;
    }
  | { source: "MANUAL"; enteredBy: string | null; reason: string | null };

export type Void = { at: string; by: string | null; reason: string };

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Viewing time as m:ss, as the page and the exports show it (lessons last minutes, not hours). */
export function viewTime(seconds: number): string {
  return formatClock(Math.round(seconds));
}

/** One line of text for an export cell or a screen reader: where the record came from. */
export function describeProvenance(p: Provenance, t: Translate, date: (iso: string) => string, lang = "vi"): string {
  switch (p.source) {
    case "ONLINE": {
      if (!p.evidence) return t("provenance.onlineNoEvidence", { certificate: p.certificateCode ?? "—" });
      const lessons = p.evidence.lessons
        .map((l) =>
          t("provenance.lessonLine", {
            title: localized(lang, l.title, l.titleEn),
            watched: l.watchedPercent,
            quiz: l.quizScorePercent === null ? "—" : `${l.quizScorePercent}%`,
          }),
        )
        .join("; ");
      return t("provenance.online", {
        certificate: p.certificateCode ?? "—",
        time: viewTime(p.evidence.viewSeconds),
        lessons,
      });
    }
    case "IMPORT":
      if (!p.importId) return t("provenance.importUnknown");
      return t("provenance.import", {
        file: p.fileName ?? "—",
        row: p.row ?? "—",
        by: p.importedBy ?? t("provenance.system"),
        at: p.importedAt ? date(p.importedAt) : "—",
      });
    case "MANUAL":
      return t("provenance.manual", { by: p.enteredBy ?? "—", reason: p.reason ?? "" });
  }
}

export function describeVoid(v: Void | null, t: Translate, date: (iso: string) => string): string {
  return v ? t("provenance.voided", { at: date(v.at), by: v.by ?? "—", reason: v.reason }) : "";
}
