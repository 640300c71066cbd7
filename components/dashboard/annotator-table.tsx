"use client";

import { useState } from "react";
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
} from "@tanstack/react-table";
import { formatNumber, formatPercent, type TAnnotatorStats } from "@/lib/stats/aggregate";
import styles from "./dashboard.module.css";

const column = createColumnHelper<TAnnotatorStats>();
/** null ("no data") becomes undefined so that it sorts last in both directions. */
const orUndefined = (value: number | null) => value ?? undefined;

const columns = [
  column.accessor("name", { header: "Annotator", sortingFn: "text" }),
  column.accessor((row) => orUndefined(row.handsPerHour), {
    id: "handsPerHour",
    header: "Hands / h",
    cell: (c) => formatNumber(c.getValue() ?? null),
    sortUndefined: "last",
    meta: { numeric: true },
  }),
  column.accessor((row) => orUndefined(row.acceptanceRate), {
    id: "acceptanceRate",
    header: "Acceptance",
    cell: (c) => formatPercent(c.getValue() ?? null),
    sortUndefined: "last",
    meta: { numeric: true },
  }),
  column.accessor((row) => orUndefined(row.meanModelCorrectionPx), {
    id: "meanModelCorrectionPx",
    header: "Mean model correction (px)",
    sortUndefined: "last",
    meta: { numeric: true },
    cell: (c) => (c.getValue() === undefined ? "–" : formatNumber(c.getValue()!, 1)),
  }),
  column.accessor((row) => orUndefined(row.meanGoldOks), {
    id: "meanGoldOks",
    header: "Mean OKS vs gold",
    sortUndefined: "last",
    meta: { numeric: true },
    cell: (c) => (c.getValue() === undefined ? "–" : `${formatNumber(c.getValue()!, 3)} (${c.row.original.goldCount})`),
  }),
  column.accessor((row) => orUndefined(row.strongFlagRate), {
    id: "strongFlagRate",
    header: "Strong flag rate",
    cell: (c) => formatPercent(c.getValue() ?? null),
    sortUndefined: "last",
    meta: { numeric: true },
  }),
  column.accessor((row) => orUndefined(row.anyFlagRate), {
    id: "anyFlagRate",
    header: "Any flag rate",
    cell: (c) => formatPercent(c.getValue() ?? null),
    sortUndefined: "last",
    meta: { numeric: true },
  }),
  column.accessor((row) => orUndefined(row.secondsPerHand), {
    id: "secondsPerHand",
    header: "Active s / hand",
    cell: (c) => formatNumber(c.getValue() ?? null),
    sortUndefined: "last",
    meta: { numeric: true },
  }),
  column.accessor("submitted", { header: "Submitted", meta: { numeric: true } }),
  column.accessor("accepted", { header: "Accepted", meta: { numeric: true } }),
  column.accessor("returned", { header: "Returned", meta: { numeric: true } }),
];

type TMeta = { numeric?: boolean } | undefined;

/** One row per annotator; every header is a button that sorts (click or Enter/Space), with aria-sort on the header. */
export function AnnotatorTable({ rows }: { rows: TAnnotatorStats[] }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: "name", desc: false }]);
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    enableMultiSort: false,
    enableSortingRemoval: false,
    getRowId: (row) => row.annotatorId,
  });
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid="annotator-table" aria-describedby="annotator-table-caption">
        <caption id="annotator-table-caption" className="sr-only">
          Figures per annotator; select a column header to sort by it.
        </caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const numeric = (header.column.columnDef.meta as TMeta)?.numeric;
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={numeric ? styles.num : undefined}
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
                  >
                    <button
                      type="button"
                      className={styles.sortButton}
                      onClick={header.column.getToggleSortingHandler()}
                      data-testid={`sort-${header.column.id}`}
                    >
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      <span className={styles.sortIcon} aria-hidden="true">
                        {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : ""}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} data-testid="annotator-row" data-annotator-id={row.original.annotatorId}>
              {row.getVisibleCells().map((cell) => {
                const numeric = (cell.column.columnDef.meta as TMeta)?.numeric;
                return cell.column.id === "name" ? (
                  <th key={cell.id} scope="row">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </th>
                ) : (
                  <td key={cell.id} className={numeric ? styles.num : undefined} data-column={cell.column.id}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
