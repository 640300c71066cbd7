import Link from "next/link";
import { formatNumber, formatPercent, type TProjectStats } from "@/lib/stats/aggregate";
import { AnnotatorTable } from "./annotator-table";
import { BarChartPanel } from "./bar-chart-panel";
import styles from "./dashboard.module.css";

function Stat({ label, value, testId }: { label: string; value: string | number; testId: string }) {
  return (
    <div className={styles.stat} data-testid={testId}>
      <span className={styles.statValue}>{value}</span>
      <span className={styles.statLabel}>{label}</span>
    </div>
  );
}

/** What each figure means: kept next to the figures so managers read them the same way (lib/stats/aggregate.ts). */
const DEFINITIONS: [string, string][] = [
  [
    "Handed in (Submitted)",
    "Annotations with status submitted, accepted or rejected: handed in at least once. Drafts, skips and expired claims are not counted.",
  ],
  [
    "Hands / h",
    "Hands in handed-in annotations ÷ their active hours (time with the workspace in use, idle excluded). Time on skips, expired claims and open drafts is left out.",
  ],
  [
    "Active s / hand",
    "Active seconds of handed-in annotations ÷ their hands. After “fix and accept” the hands are the reviewer's.",
  ],
  [
    "Acceptance",
    "Accepted ÷ decided. Decided = accepted (by review, fixed and accepted, or accepted without review when not sampled) or has at least one review decision. An annotation whose latest decision was a rejection counts against, also while its resubmission waits.",
  ],
  ["Returned", "Handed-in annotations rejected at least once, even if accepted later."],
  [
    "Mean OKS vs gold",
    "Mean OKS (0–1) against the gold labels over the annotator's gold annotations; the count is in brackets. “–” when none.",
  ],
  [
    "Strong / any flag rate",
    "Share of handed-in annotations whose quality flags (at last save) include at least one strong flag / any flag.",
  ],
  [
    "Images waiting",
    "Active images with fewer slot-holding annotations (draft, submitted, accepted, rejected) than annotations per image. Approximate: images whose subject's consent does not allow annotation now are included, and drafts whose lease ran out hold their slot until the next claim.",
  ],
  ["Flags by code", "Every flag on handed-in annotations, one per hand and finding."],
];

export function ProjectDashboard({ projectId, stats }: { projectId: string; stats: TProjectStats }) {
  const { queue, overall } = stats;
  const noAnnotations = stats.totalAnnotations === 0;
  return (
    <div className="stack" data-testid="dashboard">
      <section className={styles.section} aria-labelledby="dash-queue">
        <h2 id="dash-queue">Queues</h2>
        <div className={styles.cards}>
          <Stat
            label={`Images waiting for annotation (of ${queue.activeImages} active, ${queue.annotationsPerImage} per image)`}
            value={queue.imagesWaiting}
            testId="stat-images-waiting"
          />
          <Stat label="Annotations still needed to fill every slot" value={queue.openSlots} testId="stat-open-slots" />
          <Stat label="Annotations waiting for review" value={queue.reviewsWaiting} testId="stat-reviews-waiting" />
          <Stat label="Handed in" value={overall.submitted} testId="stat-handed-in" />
          <Stat
            label="Acceptance (all annotators)"
            value={formatPercent(overall.acceptanceRate)}
            testId="stat-acceptance"
          />
          <Stat
            label="Hands / h (all annotators)"
            value={formatNumber(overall.handsPerHour)}
            testId="stat-hands-per-hour"
          />
        </div>
        {queue.activeImages === 0 && (
          <div className="empty" data-testid="queue-empty">
            No active images. <Link href={`/projects/${projectId}/images/upload`}>Upload photos</Link> of a consenting
            subject to fill the queue.
          </div>
        )}
      </section>

      <section className={styles.section} aria-labelledby="dash-annotators">
        <h2 id="dash-annotators">Annotators</h2>
        {stats.annotators.length === 0 ? (
          <div className="empty" data-testid="annotators-empty">
            No annotations yet. Figures appear here once annotators claim images; add annotators on the{" "}
            <Link href={`/projects/${projectId}/members`}>Members</Link> tab.
          </div>
        ) : (
          <AnnotatorTable rows={stats.annotators} />
        )}
      </section>

      <section className={styles.section} aria-labelledby="dash-charts">
        <h2 id="dash-charts">Annotations and quality flags</h2>
        <div className={styles.charts}>
          <BarChartPanel
            testId="chart-status"
            title="Annotations by status"
            description={`${stats.totalAnnotations} annotation${stats.totalAnnotations === 1 ? "" : "s"} in this project, counted by their current status.`}
            categoryLabel="Status"
            rows={stats.statusCounts.map((s) => ({ label: s.status, count: s.count }))}
            series={[{ key: "count", label: "Annotations", color: "var(--accent)" }]}
            empty={noAnnotations ? "No annotations yet. They appear once annotators start work." : undefined}
          />
          <BarChartPanel
            testId="chart-flags"
            title="Quality flags by code"
            description="Flags on handed-in annotations, split into strong (almost certainly a mistake) and warning (unusual, have a look)."
            categoryLabel="Code"
            horizontal
            rows={stats.flagsByCode.map((f) => ({ label: f.code, strong: f.strong, warning: f.warning }))}
            series={[
              { key: "strong", label: "Strong", color: "var(--danger)" },
              { key: "warning", label: "Warning", color: "var(--warn)" },
            ]}
            empty={
              stats.flagsByCode.length === 0
                ? overall.submitted === 0
                  ? "No annotations handed in yet."
                  : "No quality flags on handed-in annotations."
                : undefined
            }
          />
        </div>
      </section>

      <details className={styles.fallback} data-testid="dashboard-definitions">
        <summary>How these figures are computed</summary>
        <dl className={styles.definitions}>
          {DEFINITIONS.map(([term, meaning]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{meaning}</dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}
