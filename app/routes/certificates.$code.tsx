import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getOptionalUser, requireRole } from "~/auth/auth.server";
import { CERTIFICATE_CODE, getCertificateDetails } from "~/certificates/details.server";
import { RevocationReason, revokeCertificate } from "~/certificates/revoke.server";
import { ReasonForm } from "~/components/coverage/reason-form";
import { localized } from "~/i18n";
import { Localized } from "~/components/localized-text";
import { formatDate } from "~/utils/format";
import { done, errorsOf, invalid, type ActionResult } from "~/utils/forms";
import { readForm } from "~/utils/read-form.server";
import { badRequest, notFound, parseParams } from "~/utils/route.server";
import { pageTitle } from "~/utils/meta";

const Params = z.object({ code: z.string().regex(CERTIFICATE_CODE) });

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "verifyCertificate") },
  { name: "robots", content: "noindex" },
];

// Public by design: whoever holds the code (printed on the certificate) can
// verify it, without an account. The learner's name, never their email.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const details = await getCertificateDetails(parseParams(params, Params).code);
  if (!details) throw notFound();
  const user = await getOptionalUser(request);
  const { learner, course, convention, code, completedAt, revocation, issuer } = details;
  return {
    certificate: {
      code,
      learner: { name: learner.name },
      course: { title: course.title, titleEn: course.titleEn },
      convention,
      completedAt,
      issuer: { platform: issuer.platform, organisation: issuer.organisation },
      revocation,
    },
    canRevoke: user?.role === "ADMIN" && revocation === null,
  };
}

const RevokeForm = z.object({ intent: z.literal("revoke"), reason: z.string() });

// Revoked now or before: either way the certificate is revoked, as asked.
type Revoked = { outcome: "revoked"; voidedRecords: number } | { outcome: "alreadyRevoked"; at: string };

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult<Revoked>> {
  const user = await requireRole(request, ["ADMIN"]);
  const { code } = parseParams(params, Params);
  const form = RevokeForm.safeParse(Object.fromEntries(await readForm(request)));
  if (!form.success) throw badRequest();
  const reason = RevocationReason.safeParse(form.data.reason);
  if (!reason.success) return invalid({ reason: "certificates:revoke.reasonInvalid" });
  const result = await revokeCertificate(code, reason.data, { id: user.id, email: user.email });
  switch (result.outcome) {
    case "notFound":
      throw notFound();
    case "alreadyRevoked":
      return done({ outcome: "alreadyRevoked", at: result.at.toISOString() });
    case "revoked":
      return done({ outcome: "revoked", voidedRecords: result.voidedRecords });
  }
}

export default function Certificate() {
  const { certificate, canRevoke } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const result = answer?.status === "ok" ? answer.data : undefined;
  const reasonError = errorsOf(answer).reason;
  const { t, i18n } = useTranslation("certificates");
  const { t: tl } = useTranslation("learn");
  const lng = i18n.language;
  const { revocation, issuer } = certificate;
  const course = <Localized vi={certificate.course.title} en={certificate.course.titleEn} />;
  const convention = `${certificate.convention.code} — ${localized(lng, certificate.convention.nameVi, certificate.convention.nameEn)}`;
  return (
    <div className="page narrow">
      <h1>{t("verify.heading")}</h1>
      {revocation ? (
        <section className="notice danger certificate-status" role="status" aria-labelledby="certificate-status">
          <h2 id="certificate-status">{t("verify.revoked")}</h2>
          <p>{t("verify.revokedLead", { date: formatDate(revocation.at, lng) })}</p>
          <p>{t("verify.revokedReason", { reason: revocation.reason })}</p>
        </section>
      ) : (
        <section className="notice success certificate-status" role="status" aria-labelledby="certificate-status">
          <h2 id="certificate-status">{t("verify.valid")}</h2>
          <p>
            {issuer.organisation === issuer.platform
              ? t("verify.validLeadSame", { issuer: issuer.organisation })
              : t("verify.validLead", { issuer: issuer.organisation, platform: issuer.platform })}
          </p>
        </section>
      )}

      <dl className="facts certificate-facts">
        <div>
          <dt>{t("verify.status")}</dt>
          <dd>
            {revocation ? (
              <span className="badge warning">{t("verify.statusRevoked")}</span>
            ) : (
              <span className="badge success">{t("verify.statusValid")}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t("verify.holder")}</dt>
          <dd>{certificate.learner.name}</dd>
        </div>
        <div>
          <dt>{t("verify.course")}</dt>
          <dd>{course}</dd>
        </div>
        <div>
          <dt>{t("verify.convention")}</dt>
          <dd>{convention}</dd>
        </div>
        <div>
          <dt>{t("verify.completedOn")}</dt>
          <dd>{formatDate(certificate.completedAt, lng)}</dd>
        </div>
        <div>
          <dt>{t("verify.issuer")}</dt>
          <dd>
            {issuer.organisation === issuer.platform
              ? issuer.organisation
              : t("verify.issuerValue", { organisation: issuer.organisation, platform: issuer.platform })}
          </dd>
        </div>
        <div>
          <dt>{t("verify.code")}</dt>
          <dd>
            <code>{certificate.code}</code>
          </dd>
        </div>
      </dl>
      <p className="meta">{t("verify.noAccount")}</p>

      <article className={`certificate${revocation ? " revoked" : ""}`} aria-labelledby="certificate-title">
        <p className="certificate-kicker">{issuer.organisation}</p>
        <h2 id="certificate-title">{tl("certificate.title")}</h2>
        <p>{tl("certificate.certifies")}</p>
        <p className="certificate-name">{certificate.learner.name}</p>
        <p>{tl("certificate.completed")}</p>
        <p className="certificate-course">{course}</p>
        <p className="meta">{convention}</p>
        <p>{tl("certificate.on", { date: formatDate(certificate.completedAt, lng) })}</p>
        {revocation ? <p className="certificate-revoked-mark">{t("verify.statusRevoked")}</p> : null}
        <p className="meta">
          {tl("certificate.code")}: <code>{certificate.code}</code>
        </p>
      </article>

      <section className="no-print" aria-labelledby="certificate-copies">
        <h2 id="certificate-copies">{t("verify.downloads")}</h2>
        <ul>
          <li>
            <a href={`/certificates/${certificate.code}.pdf`} download>
              {t("verify.pdf")}
            </a>
          </li>
          <li>
            <a href={`/certificates/${certificate.code}.json`}>{t("verify.credential")}</a>
            <p className="meta">{t("verify.credentialHint")}</p>
          </li>
        </ul>
        <button type="button" className="button secondary" onClick={() => window.print()}>
          {tl("certificate.print")}
        </button>
      </section>

      {result?.outcome === "revoked" ? (
        <p className="notice success" role="status">
          {t("revoke.done", { count: result.voidedRecords })}
        </p>
      ) : null}
      {result?.outcome === "alreadyRevoked" ? (
        <p className="notice warning" role="status">
          {t("revoke.already", { date: formatDate(result.at, lng) })}
        </p>
      ) : null}
      {canRevoke ? (
        <section className="no-print" aria-labelledby="certificate-revoke">
          <h2 id="certificate-revoke">{t("revoke.heading")}</h2>
          <ReasonForm
            fields={{ intent: "revoke" }}
            lead={t("revoke.lead")}
            label={t("revoke.reason")}
            error={reasonError ? t(reasonError) : null}
            submit={t("revoke.submit")}
          />
        </section>
      ) : null}
    </div>
  );
}
