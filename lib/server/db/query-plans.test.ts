/**
 * Every hot query's plan, on the lane's database: the lists, filters and aggregates people open on large
 * projects (gallery, subjects, review, queues, dashboard, quality, exports, image history) must be served by
 * indexes. A full scan, a full index scan or such a scan nested in a correlated subquery fails here — on a
 * million images it would take seconds (bench/scale.ts measures the times).
 *
 * The statements are the ones the functions really send: a query-logging Prisma client is installed as the
 * app's `db` before the services load, each function is called once, and each SELECT/UPDATE/DELETE it sent is
 * explained with its own parameters.
 *
 * PostgreSQL and tiny tables: on a few hundred rows the planner rightly prefers a sequential scan, which
 * says nothing about a million rows. The explain runs with `enable_seqscan = off` (and `enable_sort = off`):
 * the planner then takes any index path there is, so a Seq Scan or a Sort that remains means that no index
 * can serve the query. (Analysing a seeded table instead would need the full size to be representative.)
 * SQLite plans without statistics as if tables were large, so its plans need no such setting.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { generateScaleProject, postgresSink, sqliteSink, type TScaleProject } from "@/bench/support/scale-project";
import { databaseTarget } from "@/lib/env";
import { onRawQuery, openDatabase, type TDb } from "@/lib/server/db/open";
import { postgresPlanProblems, sqlitePlanProblems, type TPlanCheck } from "@/test/plan-check";

const target = databaseTarget();
const postgres = target.provider === "postgresql";
// The app's `db` (lib/server/db.ts) reuses globalThis.phalanxDb: install the logging client before any service loads.
const db: TDb = openDatabase(target, { logQueries: true });
(globalThis as { phalanxDb?: TDb }).phalanxDb = db;
const sent: { query: string; params: string }[] = [];
(db as unknown as { $on(event: "query", listener: (e: { query: string; params: string }) => void): void }).$on(
  "query",
  (e) => sent.push({ query: e.query, params: e.params }),
);
onRawQuery(db, (e) => sent.push({ query: e.query, params: e.params }));

/** The statements `fn` sends (reads and writes that can scan; inserts and transaction control left out). */
async function statementsOf(fn: () => Promise<unknown>) {
  sent.length = 0;
  await fn();
  return sent.filter((s) => /^\s*(SELECT|UPDATE|DELETE|WITH)\b/i.test(s.query)).map((s) => ({ ...s }));
}

async function planProblems(statement: { query: string; params: string }, check: TPlanCheck): Promise<string[]> {
  const params = JSON.parse(statement.params || "[]") as unknown[];
  if (postgres) {
    const rows = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      await tx.$executeRawUnsafe("SET LOCAL enable_sort = off");
      return tx.$queryRawUnsafe<{ "QUERY PLAN": { Plan: never }[] }[]>(
        `EXPLAIN (FORMAT JSON) ${statement.query}`,
        ...params,
      );
    });
    return postgresPlanProblems(rows[0]["QUERY PLAN"], check);
  }
  const rows = await db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${statement.query}`, ...params);
  return sqlitePlanProblems(rows, check);
}

let project: TScaleProject;

beforeAll(async () => {
  // A small generated project: the plans do not depend on the size (see above), the data only has to exist.
  if (postgres) {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    project = await generateScaleProject(db, await postgresSink(client), {
      images: 300,
      subjects: 20,
      annotators: 6,
      reviewers: 2,
      batch: 100,
    });
    await client.end();
  } else {
    const raw = new Database(target.filename);
    project = await generateScaleProject(db, sqliteSink(raw), {
      images: 300,
      subjects: 20,
      annotators: 6,
      reviewers: 2,
      batch: 100,
    });
    raw.close();
  }
}, 120_000);

type THot = { name: string; run: () => Promise<unknown>; check?: TPlanCheck };

async function hotPaths(): Promise<THot[]> {
  const { listImages } = await import("@/lib/server/images/list-images");
  const { ZGalleryFilters } = await import("@/lib/images/gallery-filters");
  const { listSubjects } = await import("@/lib/server/subjects/subjects");
  const { getSubjectDetail } = await import("@/lib/server/subjects/subject-detail");
  const { getReviewHomeCounts, reviewHomeCountsSql } = await import("@/lib/server/review/review-home-counts");
  const { claimNextReview } = await import("@/lib/server/review/claim-next-review");
  const { listMyWork } = await import("@/lib/server/annotations/list-my-work");
  const { getProjectStats } = await import("@/lib/server/stats/project-stats");
  const { getProjectOverview } = await import("@/lib/server/projects/project-overview");
  const { forgetAnnotationRollup, syncAnnotationRollup, syncImageQueue } =
    await import("@/lib/server/stats/annotation-rollup");
  const { acceptedPairSample, imageAgreements } = await import("@/lib/server/qc/agreement");
  const { listExports } = await import("@/lib/server/export/export-jobs");
  const { getImageDetail } = await import("@/lib/server/images/image-detail");
  const { claimNextImage } = await import("@/lib/server/queue/claim-next-image");
  const { listProjectsFor } = await import("@/lib/server/projects/list-projects");
  const { getCoverage } = await import("@/lib/server/coverage/coverage-report");
  const { ZCoverageQuery } = await import("@/lib/coverage/query");
  const { browseLabels, browserPageSql, labellersOf } = await import("@/lib/server/labels/browse-labels");
  const { ZLabelBrowserFilters } = await import("@/lib/labels/browser-filters");
  const labels = (filters: Record<string, unknown>) => () =>
    Promise.all([browseLabels(project.projectId, ZLabelBrowserFilters.parse(filters)), labellersOf(project.projectId)]);
  // The page itself, checked for order on its own (the page's other reads sort their 50 rows' hands and the labellers).
  const labelsPage = (filters: Record<string, unknown>) => () =>
    db.$queryRaw(browserPageSql(project.projectId, ZLabelBrowserFilters.parse(filters), 51));
  const someLabelling = (await db.annotation.findFirst({ where: { projectId: project.projectId } }))!.id;
  const { projectId } = project;
  const gallery = (filters: Record<string, unknown>) => () => listImages(projectId, ZGalleryFilters.parse(filters));
  const ordered = { ordered: true };
  const somewhere = project.sampleImageIds[3];
  return [
    { name: "gallery page 1", run: gallery({}), check: ordered },
    { name: "gallery next page (keyset)", run: gallery({ after: somewhere }), check: ordered },
    { name: "gallery previous page (keyset)", run: gallery({ before: somewhere }), check: ordered },
    // Label-status filters read the stored Image.labelStatus in gallery order, any status, any depth.
    ...["accepted", "submitted", "rejected", "draft", "unlabelled"].map((status) => ({
      name: `gallery status=${status}`,
      run: gallery({ status, after: somewhere }),
      check: ordered,
    })),
    {
      name: "gallery status=accepted, one subject",
      run: gallery({ status: "accepted", subjectId: project.busySubjectId }),
      check: ordered,
    },
    { name: "gallery consent=blocked", run: gallery({ consent: "blocked" }), check: ordered },
    { name: "gallery state=quarantined", run: gallery({ state: "quarantined" }), check: ordered },
    {
      name: "gallery one subject",
      run: gallery({ subjectId: project.busySubjectId, after: somewhere }),
      check: ordered,
    },
    {
      name: "subjects list and search",
      run: () => Promise.all([listSubjects(projectId), listSubjects(projectId, "violinist")]),
    },
    { name: "subject page", run: () => getSubjectDetail(projectId, project.busySubjectId) },
    { name: "review page counts", run: () => getReviewHomeCounts(projectId, project.reviewerIds[0]) },
    // Its figures come from the rollups, Image.submittedCount and Review.projectId: never one probe per annotation.
    {
      name: "review page figures",
      run: () => db.$queryRaw(reviewHomeCountsSql(projectId, project.reviewerIds[0])),
      check: { unread: ["Annotation"] },
    },
    { name: "review claim", run: () => claimNextReview(projectId, project.reviewerIds[1]), check: ordered },
    { name: "work queue claim", run: () => claimNextImage(projectId, project.annotatorIds[1]) },
    {
      name: "projects list",
      run: () =>
        listProjectsFor({
          id: project.managerId,
          email: "m@x",
          name: "M",
          isAdmin: false,
          mustChangePassword: false,
        } as never),
    },
    { name: "my work", run: () => listMyWork(projectId, project.annotatorIds[0]) },
    { name: "dashboard", run: () => getProjectStats(projectId) },
    {
      // What every annotation write adds to its transaction: the rollup's read of the annotations, their hands
      // and reviews, the increments, the stored contributions and the image's recount (some forgotten and re-added).
      name: "rollup sync (annotation writes)",
      run: async () => {
        const sample = await db.annotation.findMany({
          where: { imageId: { in: project.sampleImageIds } },
          select: { id: true },
        });
        const ids = sample.map((a) => a.id);
        await db.$transaction(async (tx) => {
          await forgetAnnotationRollup(tx, ids.slice(0, 2));
          await syncAnnotationRollup(tx, ids);
          await syncImageQueue(tx, project.sampleImageIds);
        });
      },
    },
    { name: "project overview", run: () => getProjectOverview(projectId) },
    {
      name: "quality and adjudication",
      run: () => Promise.all([acceptedPairSample(projectId), imageAgreements(projectId)]),
    },
    { name: "exports list", run: () => listExports(projectId) },
    // The labels browser pages the project's own annotation indexes (Annotation.projectId), newest first.
    { name: "labels browser", run: labels({}) },
    ...[
      {},
      { after: someLabelling },
      { before: someLabelling },
      { status: "accepted" },
      { annotatorId: project.annotatorIds[0] },
    ].map((filters) => ({
      name: `labels browser page ${JSON.stringify(filters)}`,
      run: labelsPage(filters),
      check: ordered,
    })),
    { name: "image page and its history", run: () => getImageDetail(projectId, somewhere) },
    // A two-way table across the index groups (skin tone × handedness) as well as the default one.
    {
      name: "coverage",
      run: () =>
        Promise.all([
          getCoverage(projectId, ZCoverageQuery.parse({})),
          getCoverage(projectId, ZCoverageQuery.parse({ x: "skinTone", y: "handedness", scope: "labelled" })),
        ]),
    },
  ];
}

describe(`hot query plans (${target.provider})`, () => {
  it("serves every hot list, filter and aggregate from indexes: no full or nested scan", async () => {
    const failures: string[] = [];
    let explained = 0;
    for (const hot of await hotPaths()) {
      const statements = await statementsOf(hot.run);
      expect(statements.length, `${hot.name} sent no query`).toBeGreaterThan(0);
      for (const statement of statements) {
        const problems = await planProblems(statement, hot.check ?? {});
        explained++;
        for (const problem of problems)
          failures.push(`${hot.name}: ${problem}\n    ${statement.query.replace(/\s+/g, " ").slice(0, 400)}`);
      }
    }
    expect(explained).toBeGreaterThan(30);
    expect(failures, failures.join("\n")).toEqual([]);
  }, 120_000);

  it("fails a query that scans a whole table (the check itself can fail)", async () => {
    const problems = await planProblems(
      { query: `SELECT COUNT(*) FROM "Image" WHERE "byteSize" > 10`, params: "[]" },
      {},
    );
    expect(problems.join()).toMatch(/full scan/);
    const nested = await planProblems(
      {
        query: `SELECT i."id" FROM "Image" i WHERE i."projectId" = 'p' AND EXISTS (SELECT 1 FROM "Hand" h WHERE CAST(h."attributes" AS TEXT) = i."id")`,
        params: "[]",
      },
      {},
    );
    expect(nested.join()).toMatch(/full scan/);
    // SQLite: the ORM's relation filter `IN (SELECT "id" FROM "Image" WHERE "projectId" = ?)` lists the whole project.
    const listed = await planProblems(
      {
        query: `SELECT COUNT(*) FROM "Review" r WHERE r."reviewerId" = 'u' AND r."annotationId" IN (SELECT a."id" FROM "Annotation" a WHERE a."imageId" IN (SELECT "id" FROM "Image" WHERE "projectId" = 'p'))`,
        params: "[]",
      },
      {},
    );
    if (!postgres) expect(listed.join()).toMatch(/lists a whole project/);
    // A count that reaches the project through each review's annotation reads Annotation, index path or not.
    const through = await planProblems(
      {
        query: `SELECT COUNT(*) FROM "Review" r JOIN "Annotation" a ON a."id" = r."annotationId" JOIN "Image" i ON i."id" = a."imageId" WHERE r."reviewerId" = 'u' AND i."projectId" = 'p'`,
        params: "[]",
      },
      { unread: ["Annotation"] },
    );
    expect(through.join()).toMatch(/reads Annotation/);
  });
});
