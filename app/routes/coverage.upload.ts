import type { ActionFunctionArgs } from "@remix-run/node";
import { requireCoverageActor } from "~/coverage/scope.server";
import { handleImportUpload } from "~/coverage/upload.server";
import { json } from "~/utils/http.server";

// The import form posts here from the browser (XMLHttpRequest) to show upload
// progress; without JavaScript it posts to /coverage/import instead.
export async function action({ request }: ActionFunctionArgs) {
  const { user, actor } = await requireCoverageActor(request);
  const outcome = await handleImportUpload(request, user, actor);
  return json(outcome, outcome.ok ? 200 : 400);
}

export function loader() {
  return new Response("Method Not Allowed", { status: 405 });
}
