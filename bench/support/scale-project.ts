/**
 * Generates a large, realistic project for bench/scale.ts (and the query-plan test's seeded tables):
 * several hundred subjects (most with consent, some withdrawn, some without), N images spread over them,
 * 1–2 hands per labelled image, a queue that has progressed (old images accepted, newer ones submitted,
 * a few drafts, the newest unlabelled), rejections and reviews, quality flags, gold images, 50 annotators,
 * audit history and a few exports. Small tables go through Prisma; the big ones are written in batches by
 * the driver itself (one prepared statement per row inside a transaction on SQLite, multi-row
 * `INSERT … SELECT FROM unnest(…)` on PostgreSQL), so a million images load in minutes.
 * Deterministic (seeded PRNG), so figures can be compared between runs.
 */
import type Database from "better-sqlite3";
import type pg from "pg";
import { occlusionBand } from "@/lib/coverage/dimensions";
import { imageCoverageStages, type TLabelling } from "@/lib/coverage/stage";
import { mulberry32 } from "@/lib/export/splits";
import { templateHand, jitterHand } from "@/lib/qc/synthetic-hands";
import type { TDb } from "@/lib/server/db/open";
import { SLOT_HOLDING_STATUSES } from "@/lib/annotate/status";
import {
  annotationContribution,
  ROLLUP_FIGURES,
  splitFlagKey,
  type TContribution,
  type TRollupFigures,
} from "@/lib/stats/annotation-contribution";

/** Column kinds: text, integer, boolean, timestamp, JSON, float. */
type TKind = "t" | "i" | "b" | "d" | "j" | "f";
type TTable = { name: string; columns: [string, TKind][] };
type TValue = string | number | boolean | Date | null;

/**
 * Writes rows of one table in batches through the raw driver. `countsHeldSlots`: the database's own triggers
 * count each inserted annotation into Image.heldSlots (SQLite), so the image rows must start at zero.
 */
export type TBulkSink = {
  countsHeldSlots: boolean;
  insert(table: TTable, rows: TValue[][]): Promise<void>;
  close(): Promise<void>;
};

export function sqliteSink(database: Database.Database): TBulkSink {
  const statements = new Map<string, Database.Statement>();
  const toSqlite = (value: TValue, kind: TKind) =>
    value === null
      ? null
      : kind === "d"
        ? (value as Date).toISOString().replace("Z", "+00:00")
        : kind === "b"
          ? value
            ? 1
            : 0
          : value;
  return {
    countsHeldSlots: true,
    async insert(table, rows) {
      let statement = statements.get(table.name);
      if (!statement) {
        statement = database.prepare(
          `INSERT INTO "${table.name}" (${table.columns.map(([c]) => `"${c}"`).join(", ")}) VALUES (${table.columns.map(() => "?").join(", ")})`,
        );
        statements.set(table.name, statement);
      }
      const run = statement;
      database.transaction(() => {
        for (const row of rows) run.run(row.map((value, i) => toSqlite(value, table.columns[i][1])));
      })();
    },
    async close() {},
  };
}

/**
 * PostgreSQL: one `INSERT … SELECT FROM unnest(arrays)` per batch and table. JSON columns with few distinct
 * values in a batch (hand shapes, flags) travel once as a dictionary plus one index per row. Before the load
 * the secondary indexes are dropped and foreign-key triggers paused for the session (the generator writes
 * consistent rows, with the columns the triggers keep); `close` rebuilds the indexes in one pass each, which is far cheaper than row by row.
 */
export async function postgresSink(client: pg.Client): Promise<TBulkSink> {
  const arrayType: Record<TKind, string> = {
    t: "text[]",
    i: "int[]",
    b: "boolean[]",
    d: "text[]",
    j: "text[]",
    f: "float8[]",
  };
  const cast: Record<TKind, string> = { t: "", i: "", b: "", d: "::timestamp(3)", j: "::jsonb", f: "" };
  const bulkTables = ["Image", "Annotation", "Hand", "Review", "AuditEvent", "ExportImage"];
  const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY($1) AND indexname NOT LIKE '%_pkey'`,
    [bulkTables],
  );
  for (const { indexname } of indexes) await client.query(`DROP INDEX "${indexname}"`);
  await client.query("SET session_replication_role = replica");
  await client.query("SET synchronous_commit = off");
  return {
    countsHeldSlots: false,
    async insert(table, rows) {
      if (rows.length === 0) return;
      const params: unknown[] = [];
      const selects: string[] = [];
      const unnests: string[] = [];
      table.columns.forEach(([, kind], i) => {
        const values = rows.map((row) => (row[i] instanceof Date ? (row[i] as Date).toISOString() : row[i]));
        if (kind === "j") {
          const dictionary = new Map<string, number>();
          for (const value of values)
            if (typeof value === "string" && !dictionary.has(value)) dictionary.set(value, dictionary.size + 1);
          if (dictionary.size <= 256) {
            params.push([...dictionary.keys()]);
            const dict = params.length;
            params.push(values.map((value) => (value === null ? null : dictionary.get(value as string)!)));
            unnests.push(`$${params.length}::int[]`);
            selects.push(`($${dict}::jsonb[])[c${i}]`);
            return;
          }
        }
        params.push(values);
        unnests.push(`$${params.length}::${arrayType[kind]}`);
        selects.push(`c${i}${cast[kind]}`);
      });
      await client.query(
        `INSERT INTO "${table.name}" (${table.columns.map(([c]) => `"${c}"`).join(", ")})
         SELECT ${selects.join(", ")} FROM unnest(${unnests.join(", ")}) AS t(${table.columns.map((_, i) => `c${i}`).join(", ")})`,
        params,
      );
    },
    async close() {
      await client.query("SET session_replication_role = DEFAULT");
      await client.query("SET maintenance_work_mem = '256MB'");
      for (const { indexdef } of indexes) await client.query(indexdef);
    },
  };
}

const IMAGE: TTable = {
  name: "Image",
  columns: [
    ["id", "t"],
    ["projectId", "t"],
    ["subjectId", "t"],
    ["originalKey", "t"],
    ["displayKey", "t"],
    ["thumbKey", "t"],
    ["sha256", "t"],
    ["byteSize", "i"],
    ["mimeType", "t"],
    ["width", "i"],
    ["height", "i"],
    ["originalFilename", "t"],
    ["metadata", "j"],
    ["state", "t"],
    ["doubleAnnotate", "b"],
    ["purgedAt", "d"],
    ["uploadedById", "t"],
    ["createdAt", "d"],
    ["labelStatus", "t"],
    ["doublyLabelled", "b"],
    ["heldSlots", "i"],
    ["slotCap", "i"],
    ["queueHeld", "i"],
    ["submittedCount", "i"],
  ],
};
const ANNOTATION: TTable = {
  name: "Annotation",
  columns: [
    ["id", "t"],
    ["imageId", "t"],
    ["annotatorId", "t"],
    ["status", "t"],
    ["version", "i"],
    ["timeSpentMs", "i"],
    ["source", "t"],
    ["noHands", "b"],
    ["imageFlags", "j"],
    ["qualityFlags", "j"],
    ["isGold", "b"],
    ["goldScore", "f"],
    ["modelCorrectionPx", "f"],
    ["skipReason", "t"],
    ["leaseExpiresAt", "d"],
    ["submittedAt", "d"],
    ["createdAt", "d"],
    ["updatedAt", "d"],
    ["strongFlagged", "b"],
    ["rollupStatus", "t"],
    ["rollup", "t"],
    ["projectId", "t"],
  ],
};
const HAND: TTable = {
  name: "Hand",
  columns: [
    ["id", "t"],
    ["annotationId", "t"],
    ["position", "i"],
    ["handedness", "t"],
    ["keypoints", "j"],
    ["bbox", "j"],
    ["view", "t"],
    ["attributes", "j"],
    ["qualityFlags", "j"],
    ["createdAt", "d"],
    ["updatedAt", "d"],
    ["projectId", "t"],
    ["imageId", "t"],
    ["subjectId", "t"],
    ["coverageStage", "t"],
    ["occlusionBand", "t"],
    ["imageFlagKey", "t"],
  ],
};
const REVIEW: TTable = {
  name: "Review",
  columns: [
    ["id", "t"],
    ["annotationId", "t"],
    ["reviewerId", "t"],
    ["projectId", "t"],
    ["round", "i"],
    ["decision", "t"],
    ["comment", "t"],
    ["leaseExpiresAt", "d"],
    ["decidedAt", "d"],
    ["createdAt", "d"],
  ],
};
const AUDIT: TTable = {
  name: "AuditEvent",
  columns: [
    ["id", "t"],
    ["at", "d"],
    ["actorId", "t"],
    ["projectId", "t"],
    ["action", "t"],
    ["targetType", "t"],
    ["targetId", "t"],
    ["details", "j"],
  ],
};
const EXPORT_IMAGE: TTable = {
  name: "ExportImage",
  columns: [
    ["exportId", "t"],
    ["imageId", "t"],
  ],
};

export type TScaleOptions = {
  images: number;
  subjects?: number;
  annotators?: number;
  reviewers?: number;
  seed?: number;
  batch?: number;
  log?: (line: string) => void;
};
export type TScaleProject = {
  projectId: string;
  managerId: string;
  annotatorIds: string[];
  reviewerIds: string[];
  subjectIds: string[];
  /** A subject with many images and one found by searching its notes. */
  busySubjectId: string;
  sampleImageIds: string[];
  rows: Record<string, number>;
};

const DAY = 86_400_000;
const FLAG_CODES = [
  ["finger-order", "strong"],
  ["phalanx-ratio", "warning"],
  ["joints-coincide", "strong"],
  ["finger-folded", "warning"],
  ["outside-image", "warning"],
] as const;

/**
 * Creates users, a project, subjects with consent through Prisma, then `images` images with their
 * annotations, hands, reviews, audit events and exports through the bulk sink.
 */
export async function generateScaleProject(db: TDb, sink: TBulkSink, options: TScaleOptions): Promise<TScaleProject> {
  const {
    images: N,
    subjects: S = 400,
    annotators: A = 50,
    reviewers: R = 6,
    seed = 42,
    batch = 5000,
    log = () => {},
  } = options;
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  let idCounter = 0;
  // cuid-shaped ids (25 chars, random order like real cuids), unique by a counter in the tail.
  const id = () =>
    `c${Math.floor(random() * 36 ** 8)
      .toString(36)
      .padStart(8, "0")}${(idCounter++).toString(36).padStart(16, "0")}`;
  const now = Date.now();
  const start = now - 365 * DAY;

  const manager = await db.user.create({
    data: { email: `manager-${seed}-${now}@scale.local`, name: "Manager", passwordHash: "x" },
  });
  const users = async (count: number, kind: string) => {
    const created: string[] = [];
    for (let i = 0; i < count; i++)
      created.push(
        (
          await db.user.create({
            data: {
              email: `${kind}${i}-${seed}-${now}@scale.local`,
              name: `${kind} ${String(i).padStart(2, "0")}`,
              passwordHash: "x",
            },
          })
        ).id,
      );
    return created;
  };
  const annotatorIds = await users(A, "annotator");
  const reviewerIds = await users(R, "reviewer");
  const project = await db.project.create({
    data: {
      name: `Scale ${N}`,
      gestures: ["open_palm", "fist", "point"],
      handAttributes: [],
      imageFlags: [],
      agreementShare: 0.05,
      reviewSampleRate: 0.3,
      createdById: manager.id,
    },
  });
  await db.membership.createMany({
    data: [
      { projectId: project.id, userId: manager.id, role: "manager" },
      ...annotatorIds.map((userId) => ({ projectId: project.id, userId, role: "annotator" })),
      ...reviewerIds.map((userId) => ({ projectId: project.id, userId, role: "reviewer" })),
    ],
  });
  const text = await db.consentText.create({
    data: {
      projectId: project.id,
      version: "v1",
      body: "…",
      sha256: "0".repeat(64),
      scopes: ["annotation", "research", "commercial"],
      biometricNotice: "…",
    },
  });
  const subjectIds: string[] = [];
  for (let s = 0; s < S; s++) {
    const subject = await db.subject.create({
      data: {
        projectId: project.id,
        code: `S-${String(s + 1).padStart(4, "0")}`,
        monkSkinTone: 1 + (s % 10),
        notes: s % 25 === 0 ? `recorded at site ${s % 7}, left-handed violinist` : "",
      },
    });
    subjectIds.push(subject.id);
    // 90 % consent, 5 % consented then withdrew, 5 % never consented (their images wait).
    if (s % 20 !== 19) {
      await db.consentRecord.create({
        data: {
          subjectId: subject.id,
          consentTextId: text.id,
          scopes: ["annotation", "research"],
          biometricNoticeAcknowledged: true,
          signedAt: new Date(start - DAY),
          jurisdiction: "EU",
          retentionUntil: new Date(now + 700 * DAY),
          collectedById: manager.id,
          ...(s % 20 === 18 ? { withdrawnAt: new Date(now - 10 * DAY), withdrawalChannel: "email" } : {}),
        },
      });
    }
  }

  // A few hand shapes, jittered once each: realistic JSON sizes without generating 21 joints per row.
  const handShapes = Array.from({ length: 24 }, (_, i) => {
    const hand = jitterHand(
      templateHand({ handedness: i % 2 ? "left" : "right", wrist: [300 + i * 7, 600], middleMcp: [320 + i * 5, 420] }),
      random,
      4,
    );
    return {
      handedness: hand.handedness,
      keypoints: JSON.stringify(hand.keypoints),
      bbox: JSON.stringify(hand.bbox),
      occlusionBand: occlusionBand(hand.keypoints),
    };
  });
  const exportIds: string[] = [];
  for (let e = 0; e < 3; e++) {
    exportIds.push(
      (
        await db.export.create({
          data: {
            projectId: project.id,
            requestedById: manager.id,
            status: "done",
            options: { formats: ["coco"], purpose: "research" },
            progress: 1,
            finishedAt: new Date(now - (30 - e * 10) * DAY),
            createdAt: new Date(now - (30 - e * 10) * DAY),
          },
        })
      ).id,
    );
  }

  const rollup = rollupTotals();
  const rows: Record<string, number> = { Image: 0, Annotation: 0, Hand: 0, Review: 0, AuditEvent: 0, ExportImage: 0 };
  // Subjects are photographed unevenly: a few subjects have many images (squared uniform draw).
  const subjectOf = () => subjectIds[Math.floor(random() ** 2 * S)];
  const sampleImageIds: string[] = [];
  let buffer = {
    Image: [] as TValue[][],
    Annotation: [] as TValue[][],
    Hand: [] as TValue[][],
    Review: [] as TValue[][],
    AuditEvent: [] as TValue[][],
    ExportImage: [] as TValue[][],
  };
  const flush = async () => {
    // Parents before children (foreign keys).
    for (const [table, spec] of [
      ["Image", IMAGE],
      ["Annotation", ANNOTATION],
      ["Hand", HAND],
      ["Review", REVIEW],
      ["AuditEvent", AUDIT],
      ["ExportImage", EXPORT_IMAGE],
    ] as const) {
      await sink.insert(spec, buffer[table]);
      rows[table] += buffer[table].length;
    }
    buffer = { Image: [], Annotation: [], Hand: [], Review: [], AuditEvent: [], ExportImage: [] };
  };

  const started = performance.now();
  for (let i = 0; i < N; i++) {
    const imageId = id();
    if (i % Math.max(1, Math.floor(N / 20)) === 7) sampleImageIds.push(imageId);
    const createdAt = new Date(start + Math.floor((i / N) * 360 * DAY));
    const position = i / N;
    const stateDraw = random();
    const state = stateDraw < 0.97 ? "active" : stateDraw < 0.99 ? "quarantined" : "purged";
    const double = random() < 0.05;
    const uploader = manager.id;
    const subjectId = subjectOf();
    // How far the queue has come: old images are accepted, then submitted ones, a few drafts, the newest unlabelled.
    const outcome =
      position < 0.7
        ? random() < 0.93
          ? "accepted"
          : random() < 0.6
            ? "rejected"
            : "submitted"
        : position < 0.82
          ? random() < 0.8
            ? "submitted"
            : "accepted"
          : position < 0.84
            ? "draft"
            : random() < 0.03
              ? "skipped"
              : null;
    const isGold = outcome === "accepted" && i % 500 === 3;
    const imageRow: TValue[] = [
      imageId,
      project.id,
      subjectId,
      state === "purged" ? null : `originals/${imageId}`,
      state === "purged" ? null : `display/${imageId}`,
      state === "purged" ? null : `thumbs/${imageId}`,
      `${imageId}${"0".repeat(39)}`,
      800_000 + Math.floor(random() * 1_000_000),
      "image/jpeg",
      4000,
      3000,
      `IMG_${i}.jpg`,
      '{"setting":"indoor"}',
      state,
      double,
      state === "purged" ? new Date(now - DAY) : null,
      uploader,
      createdAt,
      // Image.labelStatus as the app keeps it (LABEL_STATUS_PRECEDENCE): every labelling of an image shares the outcome.
      state !== "purged" && outcome && outcome !== "skipped" ? outcome : "unlabelled",
      // Image.doublyLabelled: two handed-in labellings without a gold score (a gold image's extra runs have one).
      state !== "purged" && double && (outcome === "accepted" || outcome === "submitted") && !isGold,
    ];
    buffer.Image.push(imageRow);
    let heldSlots = 0;
    let submittedCount = 0;
    buffer.AuditEvent.push([
      id(),
      createdAt,
      uploader,
      project.id,
      "image.uploaded",
      "image",
      imageId,
      `{"sha256":"${imageId}"}`,
    ]);

    if (outcome && state !== "purged") {
      const labellings = double && outcome !== "draft" ? 2 : 1;
      const gold = isGold;
      const who = new Set<string>();
      // Hands wait for their labelling's coverage stage, which depends on the image's other labellings.
      const labelled: TLabelling[] = [];
      const hands: { annotationId: string; occlusionBand: string; row: TValue[] }[] = [];
      for (let l = 0; l < labellings + (gold ? 2 : 0); l++) {
        let annotatorId = pick(annotatorIds);
        while (who.has(annotatorId)) annotatorId = pick(annotatorIds);
        who.add(annotatorId);
        const annotationId = id();
        const claimedAt = new Date(createdAt.getTime() + DAY + l * 3_600_000);
        const submittedAt = outcome === "draft" ? null : new Date(claimedAt.getTime() + 120_000);
        const assisted = random() < 0.3;
        const flagged = outcome !== "skipped" && outcome !== "draft" && random() < 0.12;
        const flags = flagged
          ? [pick(FLAG_CODES), ...(random() < 0.3 ? [pick(FLAG_CODES)] : [])].map(([code, severity]) => ({
              code,
              severity,
              message: `${code} check`,
              joints: [5, 6],
            }))
          : [];
        const handCount = outcome === "skipped" ? 0 : random() < 0.02 ? 0 : random() < 0.7 ? 1 : 2;
        const goldScore = gold && l > 0 ? 0.7 + random() * 0.3 : null;
        const modelCorrectionPx = assisted && outcome !== "draft" ? random() * 12 : null;
        const timeSpentMs = outcome === "skipped" ? 8_000 : 20_000 + Math.floor(random() * 180_000);
        const annotationRow: TValue[] = [
          annotationId,
          imageId,
          annotatorId,
          outcome,
          2 + Math.floor(random() * 4),
          timeSpentMs,
          assisted ? "model_assisted" : "manual",
          handCount === 0 && outcome !== "skipped",
          "[]",
          // Annotation-level flags name their hand (lib/qc/flag.ts), as the app stores them.
          JSON.stringify(flags.map((flag) => ({ ...flag, hand: 0 }))),
          gold && l === 0,
          goldScore,
          modelCorrectionPx,
          outcome === "skipped" ? "blurry" : null,
          outcome === "draft" ? new Date(now + 20 * 60_000) : null,
          submittedAt,
          claimedAt,
          submittedAt ?? claimedAt,
          flags.some((flag) => flag.severity === "strong"),
        ];
        buffer.Annotation.push(annotationRow);
        if ((SLOT_HOLDING_STATUSES as readonly string[]).includes(outcome)) heldSlots++;
        if (outcome === "submitted") submittedCount++;
        const decisions: string[] = [];
        labelled.push({
          id: annotationId,
          status: outcome,
          goldScore: gold && l > 0 ? 0.8 : null,
          isGold: gold && l === 0,
          updatedAt: submittedAt ?? claimedAt,
        });
        for (let h = 0; h < handCount; h++) {
          const shape = pick(handShapes);
          hands.push({
            annotationId,
            occlusionBand: shape.occlusionBand,
            row: [
              id(),
              annotationId,
              h,
              shape.handedness,
              shape.keypoints,
              shape.bbox,
              "palm",
              "{}",
              flagged && h === 0 ? JSON.stringify(flags) : "[]",
              claimedAt,
              submittedAt ?? claimedAt,
              project.id,
              imageId,
              subjectId,
            ],
          });
        }
        buffer.AuditEvent.push([
          id(),
          claimedAt,
          annotatorId,
          project.id,
          "annotation.claimed",
          "annotation",
          annotationId,
          `{"imageId":"${imageId}"}`,
        ]);
        if (submittedAt)
          buffer.AuditEvent.push([
            id(),
            submittedAt,
            annotatorId,
            project.id,
            "annotation.submitted",
            "annotation",
            annotationId,
            "{}",
          ]);
        // Reviews: every rejection, a sample of acceptances (some after an earlier rejection), a few open claims.
        const decidedAt = submittedAt ? new Date(submittedAt.getTime() + DAY) : null;
        const reviewer = pick(reviewerIds);
        if (outcome === "rejected" || (outcome === "accepted" && random() < 0.3)) {
          const returnedFirst = outcome === "accepted" && random() < 0.15;
          decisions.push(...(returnedFirst ? ["reject"] : []), outcome === "rejected" ? "reject" : "accept");
          if (returnedFirst)
            buffer.Review.push([
              id(),
              annotationId,
              reviewer,
              project.id,
              1,
              "reject",
              "thumb tip is off",
              null,
              decidedAt,
              decidedAt,
            ]);
          buffer.Review.push([
            id(),
            annotationId,
            reviewer,
            project.id,
            returnedFirst ? 2 : 1,
            outcome === "rejected" ? "reject" : "accept",
            "",
            null,
            decidedAt,
            decidedAt,
          ]);
          buffer.AuditEvent.push([
            id(),
            decidedAt!,
            reviewer,
            project.id,
            "review.decided",
            "annotation",
            annotationId,
            "{}",
          ]);
        } else if (outcome === "submitted" && random() < 0.02) {
          buffer.Review.push([
            id(),
            annotationId,
            reviewer,
            project.id,
            1,
            null,
            "",
            new Date(now + 20 * 60_000),
            null,
            new Date(now - 60_000),
          ]);
        }
        // Counted into the dashboard rollup as the app's writes count it (lib/server/stats/annotation-rollup.ts).
        const contribution = annotationContribution({
          annotatorId,
          status: outcome,
          timeSpentMs,
          handCount,
          goldScore,
          modelCorrectionPx,
          qualityFlags: flags,
          decisions,
        });
        annotationRow.push(outcome, JSON.stringify(contribution), project.id);
        rollup.add(contribution);
        if (outcome === "accepted" && l === 0) {
          for (let e = 0; e < exportIds.length; e++)
            if (position < 0.2 * (e + 1)) buffer.ExportImage.push([exportIds[e], imageId]);
        }
      }
      const stages = imageCoverageStages(labelled, state);
      for (const hand of hands) buffer.Hand.push([...hand.row, stages.get(hand.annotationId)!, hand.occlusionBand, ""]);
    }
    // Image.heldSlots, slotCap, queueHeld and submittedCount as the triggers and the queue rollup keep them.
    const queueHeld = state === "active" ? heldSlots : null;
    imageRow.push(
      sink.countsHeldSlots ? 0 : heldSlots,
      Math.max(project.annotationsPerImage, double ? 2 : 1),
      queueHeld,
      submittedCount,
    );
    if (queueHeld !== null) rollup.addQueued(double, queueHeld);
    if (buffer.Image.length >= batch) {
      await flush();
      if ((i + 1) % (batch * 20) === 0)
        log(`  generated ${i + 1} / ${N} images (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  await flush();
  await sink.close();
  await rollup.write(db, project.id);
  const busy = await db.image.groupBy({
    by: ["subjectId"],
    where: { projectId: project.id },
    _count: { _all: true },
    orderBy: { _count: { subjectId: "desc" } },
    take: 1,
  });
  return {
    projectId: project.id,
    managerId: manager.id,
    annotatorIds,
    reviewerIds,
    subjectIds,
    busySubjectId: busy[0]?.subjectId ?? subjectIds[0],
    sampleImageIds,
    rows,
  };
}

/**
 * The rollup tables (AnnotationRollup, FlagRollup, QueueRollup) summed while the rows are generated, written
 * once at the end: the sums the app's writes would have built one increment at a time.
 */
function rollupTotals() {
  const groups = new Map<string, { annotatorId: string; status: string; figures: TRollupFigures }>();
  const flags = new Map<string, number>();
  const queue = new Map<string, { doubleAnnotate: boolean; held: number; images: number }>();
  return {
    add(contribution: TContribution) {
      const key = `${contribution.annotatorId}\u0000${contribution.status}`;
      let group = groups.get(key);
      if (!group) {
        const figures = Object.fromEntries(ROLLUP_FIGURES.map((f) => [f, 0])) as TRollupFigures;
        groups.set(key, (group = { annotatorId: contribution.annotatorId, status: contribution.status, figures }));
      }
      for (const f of ROLLUP_FIGURES) group.figures[f] += contribution.figures[f] ?? 0;
      for (const [flag, n] of Object.entries(contribution.flags)) flags.set(flag, (flags.get(flag) ?? 0) + n);
    },
    addQueued(doubleAnnotate: boolean, held: number) {
      const key = `${doubleAnnotate}/${held}`;
      const row = queue.get(key) ?? { doubleAnnotate, held, images: 0 };
      row.images++;
      queue.set(key, row);
    },
    async write(db: TDb, projectId: string) {
      await db.annotationRollup.createMany({
        data: [...groups.values()].map(({ annotatorId, status, figures }) => ({
          projectId,
          annotatorId,
          status,
          ...figures,
        })),
      });
      await db.flagRollup.createMany({
        data: [...flags].map(([key, n]) => ({ projectId, ...splitFlagKey(key), n })),
      });
      await db.queueRollup.createMany({ data: [...queue.values()].map((row) => ({ projectId, ...row })) });
    },
  };
}
