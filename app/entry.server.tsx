import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import type { HandleErrorFunction } from "@remix-run/node";
import { learnerCertificateFor } from "~/certificates/learner.server";
import { i18nFor } from "~/i18n-instances.server";
import { lessonPages as keptLessonPages, type RenderLessonPage } from "~/learning/lesson-page.server";
import i18nextServer from "~/i18next.server";
import { withoutNulBytes } from "~/utils/html-stream.server";
import { logger, redactPath } from "~/utils/logger.server";
import { NonceProvider } from "~/utils/nonce";

const ABORT_DELAY = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Undefined under `npm run dev`, which sends no Content-Security-Policy.
  const nonce = loadContext.cspNonce;
  const instance = await i18nFor(await i18nextServer.getLocale(request));

  // Bots get the whole document at once; browsers get it streamed.
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce ?? ""}>
        <I18nextProvider i18n={instance}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </I18nextProvider>
      </NonceProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = withoutNulBytes();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered)
            logger.error({ err: error, path: redactPath(new URL(request.url).pathname) }, "render failed");
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

// `npm run dev` has no server.js: the dev server's process runs the jobs.
if (process.env.NODE_ENV === "development") {
  const g = globalThis as { __background?: Promise<void> };
  g.__background ??= import("~/setup/background.server").then((m) => m.startBackground());
}

// Errors thrown by loaders and actions (not thrown Responses): one JSON log
// line with the path (secret link segments cut), nothing from the body.
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  logger.error(
    { err: error, path: redactPath(new URL(request.url).pathname), method: request.method },
    "request failed",
  );
};

// Exposed to server.js through the build's entry module: the progress
// endpoint's listener on Node's own request (app/learning/progress-node.server.ts).
export { checkIssuerKeys } from "~/certificates/issuer-keys.server";
export { createProgressListener, isProgressReport } from "~/learning/progress-node.server";
export { startBackground, stopBackground } from "~/setup/background.server";
export { errorPageHandler } from "~/utils/client-error.server";
export { crossSiteRefusal } from "~/utils/cross-site.server";
export { securityHeaders } from "~/utils/security-headers";
export { bodyIn, catalogPages, chooseEncoding } from "~/catalog/catalog-page.server";
export { lessonPageBody } from "~/learning/lesson-page.server";

/** The kept lesson pages (app/learning/lesson-page.server.ts), with the certificates' read of a learner's certificate. */
export function lessonPages(render: RenderLessonPage) {
  return keptLessonPages(render, learnerCertificateFor);
}
export { getEnv } from "~/utils/env.server";
export { logger, redactPath };
