import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { CERTIFICATE_CODE, getCertificateDetails } from "~/certificates/details.server";
import { certificateFileName, certificatePdf } from "~/certificates/pdf.server";
import { isLanguage } from "~/i18n";
import { badRequest, notFound, parseParams } from "~/utils/route.server";

// GET /certificates/<code>.pdf — public like the certificate's page: whoever
// holds the code (printed on the certificate) may have its PDF.

const Params = z.object({ code: z.string().regex(CERTIFICATE_CODE) });
const Query = z.object({ lang: z.enum(["vi", "en"]).optional() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = parseParams(params, Params);
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw badRequest("lang must be vi or en");
  const details = await getCertificateDetails(code);
  if (!details) throw notFound();
  const language = query.data.lang ?? (isLanguage(details.learner.locale) ? details.learner.locale : "vi");
  const pdf = await certificatePdf(details, language);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(pdf.byteLength),
      "Content-Disposition": `attachment; filename="${certificateFileName(details.code, language)}"`,
      // A revocation changes the file: no shared cache may keep it.
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
