import { TableScroll } from "~/components/table-scroll";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

type Person = {
  id: string;
  personnelCode: string;
  fullName: string;
  agency: string;
  province: string;
  linked: boolean;
} & Record<string, unknown>;

/** Roster people with a link to each; `extra` columns sit between the province and the account. */
export function PeopleTable<P extends Person>({
  caption,
  captionHidden = false,
  people,
  extra,
}: {
  caption: string;
  captionHidden?: boolean;
  people: P[];
  extra: { header: string; cell: (person: P) => React.ReactNode }[];
}) {
  const { t } = useTranslation("coverage");
  return (
    <TableScroll label={caption}>
      <table className="table">
        <caption className={captionHidden ? "visually-hidden" : undefined}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("columns.personnelCode")}</th>
            <th scope="col">{t("columns.fullName")}</th>
            <th scope="col">{t("columns.agency")}</th>
            <th scope="col">{t("columns.province")}</th>
            {extra.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
            <th scope="col">{t("columns.linked")}</th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr key={p.id}>
              <td>
                <Link to={`/coverage/roster/${p.id}`}>{p.personnelCode}</Link>
              </td>
              <th scope="row">{p.fullName}</th>
              <td>{p.agency}</td>
              <td>{p.province}</td>
              {extra.map((column) => (
                <td key={column.header}>{column.cell(p)}</td>
              ))}
              <td>
                <span className={`badge ${p.linked ? "success" : ""}`}>{t(p.linked ? "linked.yes" : "linked.no")}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
