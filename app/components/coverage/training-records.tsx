import { useTranslation } from "react-i18next";
import { viewTime, type Provenance } from "~/coverage/provenance";
import type { RecordWithProvenance } from "~/coverage/records.server";
import { SentenceWithName } from "~/components/localized-text";
import { formatDate } from "~/utils/format";
import { errorsOf, type ActionResult } from "~/utils/forms";
import { ReasonForm } from "./reason-form";

export type RecordView = Omit<RecordWithProvenance, "personId">;
/** The person page's answer to a form; a record's void form is named "void:<recordId>". */
export type VoidResult = ActionResult<{ outcome: string }> | undefined;

function ProvenanceDetail({ provenance }: { provenance: Provenance }) {
  const { t, i18n } = useTranslation("coverage");
  const lang = i18n.language;
  switch (provenance.source) {
    case "ONLINE":
      return (
        <>
          <strong>{t("provenance.ONLINE")}</strong>
          {provenance.certificateCode ? (
            <div>{t("provenance.certificate", { code: provenance.certificateCode })}</div>
          ) : null}
          {provenance.completionId === null ? <div className="meta">{t("provenance.completionGone")}</div> : null}
          {provenance.evidence ? (
            <>
              <div>{t("provenance.viewTime", { time: viewTime(provenance.evidence.viewSeconds) })}</div>
              <ul className="evidence">
                {provenance.evidence.lessons.map((l) => (
                  <li key={l.lessonId}>
                    <SentenceWithName
                      ns="coverage"
                      i18nKey="provenance.lesson"
                      vi={l.title}
                      en={l.titleEn}
                      values={{
                        watched: l.watchedPercent,
                        time: viewTime(l.viewSeconds),
                        quiz: l.quizScorePercent === null ? t("provenance.noQuiz") : `${l.quizScorePercent}%`,
                      }}
                    />
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <div className="meta">{t("provenance.noEvidence")}</div>
          )}
        </>
      );
    case "IMPORT":
      return (
        <>
          <strong>{t("provenance.IMPORT")}</strong>
          {provenance.importId ? (
            <>
              <div>{t("provenance.importFile", { file: provenance.fileName ?? "—", row: provenance.row ?? "—" })}</div>
              <div className="meta">
                {t("provenance.importBy", {
                  by: provenance.importedBy ?? t("provenance.system"),
                  at: provenance.importedAt ? formatDate(provenance.importedAt, lang) : "—",
                })}
              </div>
            </>
          ) : (
            <div className="meta">{t("provenance.importUnknown")}</div>
          )}
        </>
      );
    case "MANUAL":
      return (
        <>
          <strong>{t("provenance.MANUAL")}</strong>
          <div>{t("provenance.manual", { by: provenance.enteredBy ?? "—", reason: provenance.reason ?? "" })}</div>
        </>
      );
  }
}

/** A person's training records, where each came from, and a way to void one (struck through once voided). */
export function TrainingRecords({ records, result }: { records: RecordView[]; result: VoidResult }) {
  const { t, i18n } = useTranslation("coverage");
  const lang = i18n.language;
  return (
    <table className="table training-records">
      <caption className="visually-hidden">{t("person.recordsCaption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("columns.courseCode")}</th>
          <th scope="col">{t("columns.completedOn")}</th>
          <th scope="col">{t("columns.mode")}</th>
          <th scope="col">{t("columns.source")}</th>
          <th scope="col">{t("columns.recordStatus")}</th>
        </tr>
      </thead>
      <tbody>
        {records.map((r) => {
          const mine = result?.intent === `void:${r.id}` ? result : undefined;
          const reasonError = errorsOf(mine).reason;
          return (
            <tr key={r.id} className={r.voided ? "voided" : undefined}>
              <th scope="row">{r.voided ? <del>{r.courseCode}</del> : r.courseCode}</th>
              <td>{r.voided ? <del>{formatDate(r.completedOn, lang)}</del> : formatDate(r.completedOn, lang)}</td>
              <td>{t(`mode.${r.mode}`)}</td>
              <td>
                <ProvenanceDetail provenance={r.provenance} />
              </td>
              <td>
                {mine?.status === "ok" ? (
                  <p className="notice success" role="status">
                    {t(mine.data.outcome === "voided" ? "person.voidDone" : "person.voidAlready")}
                  </p>
                ) : null}
                {r.voided ? (
                  <>
                    <span className="badge">{t("person.voidedBadge")}</span>
                    <div>
                      {t("provenance.voided", {
                        at: formatDate(r.voided.at, lang),
                        by: r.voided.by ?? "—",
                        reason: r.voided.reason,
                      })}
                    </div>
                  </>
                ) : (
                  <details open={reasonError !== undefined}>
                    <summary>{t("person.void")}</summary>
                    <ReasonForm
                      fields={{ intent: "void", recordId: r.id }}
                      lead={t("person.voidLead")}
                      label={t("person.voidReason")}
                      error={reasonError ? t(reasonError) : null}
                      submit={t("person.voidConfirm")}
                    />
                  </details>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A person's records in a list cell: course, day, source; a voided one struck through with its reason. */
export function RecordSummary({ records }: { records: RecordView[] }) {
  const { t, i18n } = useTranslation("coverage");
  if (records.length === 0) return <>—</>;
  return (
    <ul className="record-summary">
      {records.map((r) => {
        const text = `${r.courseCode}, ${formatDate(r.completedOn, i18n.language)} · ${t(`provenance.${r.provenance.source}`)}`;
        return (
          <li key={r.id}>
            {r.voided ? (
              <>
                <del>{text}</del>{" "}
                <span className="meta">
                  {t("provenance.voided", {
                    at: formatDate(r.voided.at, i18n.language),
                    by: r.voided.by ?? "—",
                    reason: r.voided.reason,
                  })}
                </span>
              </>
            ) : (
              text
            )}
          </li>
        );
      })}
    </ul>
  );
}
