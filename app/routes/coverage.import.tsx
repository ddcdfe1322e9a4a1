import { TableScroll } from "~/components/table-scroll";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ImportForm } from "~/components/coverage/import-form";
import { ROSTER_HEADER, TRAINING_HEADER } from "~/coverage/import-columns";
import { requireCoverageActor } from "~/coverage/scope.server";
import { handleImportUpload, IMPORT_MAX_MB, recentImports } from "~/coverage/upload.server";
import { formatDate } from "~/utils/format";
import { refused } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "import") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, actor } = await requireCoverageActor(request);
  return { imports: await recentImports(actor, user.id), maxMb: IMPORT_MAX_MB };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, actor } = await requireCoverageActor(request);
  const outcome = await handleImportUpload(request, user, actor);
  if (outcome.ok) return redirect(`/coverage/imports/${outcome.importId}`);
  return data(refused(`coverage:file.${outcome.reason}`, outcome.params), { status: 400 });
}

export default function ImportPage() {
  const { imports, maxMb } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("coverage");
  const lang = i18n.language;
  return (
    <>
      <h1>{t("import.title")}</h1>
      <div className="import-grid">
        <section className="card" aria-labelledby="roster-import">
          <h2 id="roster-import">{t("import.rosterHeading")}</h2>
          <p>{t("import.rosterLead")}</p>
          <p className="meta">
            <code>{ROSTER_HEADER.join(", ")}</code>
          </p>
          <p>
            {t("import.template")}:{" "}
            <a href="/coverage/template/roster.csv" download>
              CSV
            </a>{" "}
            ·{" "}
            <a href="/coverage/template/roster.xlsx" download>
              XLSX
            </a>
          </p>
          <ImportForm
            kind="roster"
            maxMb={maxMb}
            failure={actionData?.status === "invalid" ? actionData.formError : null}
          />
        </section>
        <section className="card" aria-labelledby="training-import">
          <h2 id="training-import">{t("import.trainingHeading")}</h2>
          <p>{t("import.trainingLead")}</p>
          <p className="meta">
            <code>{TRAINING_HEADER.join(", ")}</code>
          </p>
          <p>
            {t("import.template")}:{" "}
            <a href="/coverage/template/training.csv" download>
              CSV
            </a>{" "}
            ·{" "}
            <a href="/coverage/template/training.xlsx" download>
              XLSX
            </a>
          </p>
          <ImportForm kind="training" maxMb={maxMb} />
        </section>
      </div>

      <h2>{t("import.recent")}</h2>
      {imports.length === 0 ? (
        <p className="empty">{t("import.none")}</p>
      ) : (
        <TableScroll label={t("import.recentCaption")}>
          <table className="table">
            <caption className="visually-hidden">{t("import.recentCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("import.startedAt")}</th>
                <th scope="col">{t("import.fileName")}</th>
                <th scope="col">{t("import.kindLabel")}</th>
                <th scope="col">{t("import.result")}</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((item) => (
                <tr key={item.id}>
                  <td>{formatDate(item.createdAt, lang)}</td>
                  <th scope="row">
                    <Link to={`/coverage/imports/${item.id}`}>{item.fileName}</Link>
                  </th>
                  <td>{t(`import.kind.${item.kind}`)}</td>
                  <td>
                    {t(`importResult.status.${item.status}`)}
                    {item.status !== "RUNNING" ? ` · ${item.acceptedRows}/${item.totalRows}` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
