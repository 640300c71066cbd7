/**
 * Reads query plans (SQLite `EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN (FORMAT JSON)`) and names what would
 * read a whole table on a large project: a full table scan, a full index scan (an index walked without a
 * condition), also inside a correlated subquery (a nested scan), and for queries that page in order a sort
 * of every matching row, and reads of tables a query was built to avoid (TPlanCheck.unread). Used by lib/server/db/query-plans.test.ts.
 */

export type TPlanCheck = {
  ordered?: boolean;
  /** Tables the statement must not read at all: what a stored column or a rollup answers instead (a join
   * through them is an index path, yet one probe per row of the other side: seconds on a million images). */
  unread?: string[];
};

/** Tables that grow with people and projects, not with images: reading them whole is no scale problem. */
const SMALL_TABLES = new Set(["Project", "User"]);
const tableOf = (name: string) => name.replace(/^main\./, "");

/** Tables that grow with the images: a subquery listing one project's rows of them lists up to a million. */
const PROJECT_SIZED = /^SEARCH (?:main\.)?(Image|Annotation|Hand|Review|AuditEvent)\b.*\((?:projectId|subjectId)=\?\)$/;

/** SQLite: rows of EXPLAIN QUERY PLAN ({ id, parent, detail }). */
export function sqlitePlanProblems(
  rows: { id?: number; parent?: number; detail: string }[],
  check: TPlanCheck = {},
): string[] {
  const problems: string[] = [];
  // `x IN (SELECT … WHERE "projectId" = ?)` (the ORM's relation filters) builds the list of every row of the
  // project before the outer query reads one row: no scan by name, but the cost of one.
  const lists = new Set(rows.filter((r) => /^LIST SUBQUERY/.test(r.detail)).map((r) => r.id));
  for (const row of rows)
    if (lists.has(row.parent) && PROJECT_SIZED.test(row.detail))
      problems.push(`lists a whole project in a subquery: ${row.detail}`);
  // Subqueries in FROM appear as "CO-ROUTINE t" / "MATERIALIZE t"; scanning their result is no table scan.
  const derived = new Set(rows.map((r) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)/.exec(r.detail)?.[1]).filter(Boolean));
  for (const { detail } of rows) {
    const scan = /^SCAN (\S+)(.*)$/.exec(detail);
    if (scan) {
      const [, name, rest] = scan;
      if (derived.has(name) || name === "CONSTANT" || SMALL_TABLES.has(tableOf(name)) || /VIRTUAL TABLE/.test(rest))
        continue;
      problems.push(`full scan: ${detail}`);
    }
    if (check.ordered && /USE TEMP B-TREE FOR ORDER BY/.test(detail))
      problems.push(`sorts every matching row: ${detail}`);
    // Plans name tables by their alias, indexes by name: Prisma names each index (and SQLite its automatic
    // primary-key index) after its table.
    for (const table of check.unread ?? [])
      if (new RegExp(`\\b(?:sqlite_autoindex_)?${table}_\\w+|^SCAN (?:main\\.)?${table}\\b`).test(detail))
        problems.push(`reads ${table}: ${detail}`);
  }
  return problems;
}

type TPgNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Recheck Cond"?: string;
  Plans?: TPgNode[];
  [key: string]: unknown;
};

/** PostgreSQL: the JSON of EXPLAIN (FORMAT JSON), i.e. [{ Plan: {...} }]. */
export function postgresPlanProblems(explained: { Plan: TPgNode }[], check: TPlanCheck = {}): string[] {
  const problems: string[] = [];
  const walk = (node: TPgNode) => {
    const type = node["Node Type"];
    if (type === "Seq Scan" && !SMALL_TABLES.has(node["Relation Name"] ?? ""))
      problems.push(`full scan: Seq Scan on ${node["Relation Name"]}`);
    if (
      (type === "Index Scan" || type === "Index Only Scan") &&
      !node["Index Cond"] &&
      !SMALL_TABLES.has(node["Relation Name"] ?? "")
    )
      problems.push(`full index scan: ${type} using ${node["Index Name"]} on ${node["Relation Name"]}`);
    if (check.ordered && type === "Sort" && !node["Presorted Key"])
      problems.push(`sorts every matching row: Sort on ${JSON.stringify(node["Sort Key"])}`);
    if (node["Relation Name"] && check.unread?.includes(node["Relation Name"]))
      problems.push(
        `reads ${node["Relation Name"]}: ${type}${node["Index Name"] ? ` using ${node["Index Name"]}` : ""}`,
      );
    for (const child of node.Plans ?? []) walk(child);
  };
  for (const entry of explained) walk(entry.Plan);
  return problems;
}
