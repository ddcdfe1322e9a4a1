import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { CERTIFICATE_CODE, getCertificateDetails } from "~/certificates/details.server";
import { certificateFileName, certificatePdf } from "~/certificates/pdf.server";
import { isLanguage } from "~/i18n";

// GET /certificates/<code>.pdf — public like the certificate's page: whoever
// holds the code (printed on the certificate) may have its PDF.

const Params = z.object({ code: z.string().regex(CERTIFICATE_CODE) });
const Query = z.object({ lang: z.enum(["vi", "en"]).optional() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new Response("lang must be vi or en", { status: 400 });
  const details = await getCertificateDetails(parsed.data.code);
  if (!details) throw new Response("Not found", { status: 404 });
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
