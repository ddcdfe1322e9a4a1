import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { localized } from "~/i18n";
import { getCertificateDetails } from "~/certificates/details.server";
import { formatDate } from "~/utils/format";

const Params = z.object({ code: z.string().regex(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/) });

export const meta: MetaFunction = () => [{ title: "Chứng nhận · Tập huấn" }];

// Public by design: whoever holds the code (printed on the certificate) can verify it.
export async function loader({ params }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const certificate = await getCertificateDetails(parsed.data.code);
  if (!certificate) throw new Response("Not found", { status: 404 });
  const { learner, course, convention, code, completedAt } = certificate;
  // Public page: the learner's name, never their email.
  return { certificate: { learner: { name: learner.name }, course: { title: course.title, titleEn: course.titleEn }, convention, code, completedAt } };
}

export default function Certificate() {
  const { certificate } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("learn");
  const lng = i18n.language;
  return (
    <div className="page narrow">
      <article className="certificate" aria-labelledby="certificate-title">
        <p className="certificate-kicker">Tập huấn</p>
        <h1 id="certificate-title">{t("certificate.title")}</h1>
        <p>{t("certificate.certifies")}</p>
        <p className="certificate-name">{certificate.learner.name}</p>
        <p>{t("certificate.completed")}</p>
        <p className="certificate-course">{localized(lng, certificate.course.title, certificate.course.titleEn)}</p>
        <p className="meta">
          {certificate.convention.code} — {localized(lng, certificate.convention.nameVi, certificate.convention.nameEn)}
        </p>
        <p>{t("certificate.on", { date: formatDate(certificate.completedAt, lng) })}</p>
        <p className="meta">
          {t("certificate.code")}: <code>{certificate.code}</code>
        </p>
      </article>
      <button type="button" className="button no-print" onClick={() => window.print()}>
        {t("certificate.print")}
      </button>
    </div>
  );
}
