"use client";

import { useRef, useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { useHandDetector } from "@/components/annotate/use-hand-detector";
import { useRegionAssist } from "@/components/annotate/use-region-assist";
import { refineDetections } from "@/components/annotate/refine-detections";

type TImageRow = { id: string; width: number; height: number; hasProposal?: boolean };
type TSummary = {
  done: number;
  total: number;
  withHands: number;
  hands: number;
  none: number;
  failed: number;
  /** Images left alone because they already hold proposals (unless "redo" is ticked). */
  skipped: number;
  refined: number;
};

/**
 * A manager runs the model over the project's unlabelled images in this browser: a progress bar, a
 * pause, and a summary. Proposals are stored on the images; annotators' claims start from them.
 */
export function BatchPreAnnotate({ projectId }: { projectId: string }) {
  const detector = useHandDetector();
  const region = useRegionAssist();
  const [redo, setRedo] = useState(false);
  const [summary, setSummary] = useState<TSummary | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const paused = useRef(false);

  async function unlabelledImages(): Promise<TImageRow[]> {
    const rows: TImageRow[] = [];
    for (let page = 1; ; page++) {
      const result = await callApi<{ images: TImageRow[]; total: number; pageSize: number }>(
        "GET",
        `/api/projects/${projectId}/images?status=unlabelled&state=active&consent=usable&pageSize=200&page=${page}`,
      );
      if (!result.ok) throw new Error(result.error);
      rows.push(...result.data.images);
      if (page * result.data.pageSize >= result.data.total) return rows;
    }
  }

  async function run(resumeFrom?: { images: TImageRow[]; summary: TSummary }) {
    setRunning(true);
    setError(null);
    paused.current = false;
    try {
      const all = resumeFrom?.images ?? (await unlabelledImages());
      const images = resumeFrom ? all : redo ? all : all.filter((image) => !image.hasProposal);
      const tally: TSummary = resumeFrom?.summary ?? {
        done: 0,
        total: images.length,
        withHands: 0,
        hands: 0,
        none: 0,
        failed: 0,
        skipped: all.length - images.length,
        refined: 0,
      };
      setSummary({ ...tally });
      for (let i = tally.done; i < images.length; i++) {
        if (paused.current) {
          pending.current = { images, summary: tally };
          return;
        }
        const image = images[i];
        const detection = await detector.detect(`/api/images/${image.id}/display`, image).catch(() => null);
        if (!detection) {
          if (detector.status === "unavailable") throw new Error(detector.message ?? "The model could not be loaded");
          tally.failed++;
        } else if (detection.hands.length === 0) {
          tally.none++;
        } else {
          // Each detected hand re-run through the box path (region assist), as the workspace's Detect does.
          const src = `/api/images/${image.id}/display`;
          const refined = region.available
            ? await refineDetections(
                region.label,
                src,
                image,
                detection.hands.map((d) => d.hand),
              )
            : null;
          const prediction = {
            ...detection.prediction,
            hands: [
              ...detection.prediction.hands.map((h) => ({ ...h, via: "detector" as const })),
              ...(refined?.proposals ?? []),
            ],
          };
          const saved = await callApi("PUT", `/api/projects/${projectId}/images/${image.id}/pre-annotation`, {
            source: "model_assisted",
            hands: refined?.hands ?? detection.hands.map((d) => d.hand),
            prediction,
          });
          if (saved.ok) {
            tally.withHands++;
            tally.hands += detection.hands.length;
            tally.refined += refined?.refined ?? 0;
          } else tally.failed++;
        }
        tally.done = i + 1;
        setSummary({ ...tally });
      }
      pending.current = null;
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setRunning(false);
    }
  }
  const pending = useRef<{ images: TImageRow[]; summary: TSummary } | null>(null);

  const percent = summary && summary.total ? Math.round((100 * summary.done) / summary.total) : 0;
  return (
    <div className="stack" data-testid="pre-annotate">
      <p className="muted">
        Runs the hand model (MediaPipe, in this browser; nothing leaves the app) on every unlabelled image whose subject
        consents to annotation. Annotators then start from its proposals and correct them.
      </p>
      <label className="row">
        <input
          type="checkbox"
          checked={redo}
          disabled={running}
          onChange={(event) => setRedo(event.target.checked)}
          data-testid="pre-annotate-redo"
        />
        Redo images that already have proposals (otherwise they are skipped)
      </label>
      <div className="row">
        {!running && !pending.current && (
          <button type="button" className="primary" onClick={() => void run()} data-testid="pre-annotate-start">
            Start
          </button>
        )}
        {running && (
          <button
            type="button"
            onClick={() => {
              paused.current = true;
            }}
            data-testid="pre-annotate-pause"
          >
            Pause
          </button>
        )}
        {!running && pending.current && (
          <button
            type="button"
            className="primary"
            onClick={() => void run(pending.current!)}
            data-testid="pre-annotate-resume"
          >
            Resume
          </button>
        )}
      </div>
      {summary && (
        <div className="card stack">
          <div
            className="progress"
            role="progressbar"
            aria-label="Pre-annotation progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
          >
            <span style={{ width: `${percent}%` }} />
          </div>
          <span data-testid="pre-annotate-summary">
            {summary.done} of {summary.total} images · {summary.withHands} with proposals ({summary.hands} hands) ·{" "}
            {summary.none} without a hand found · {summary.failed} failed · {summary.skipped} skipped (already proposed)
            · {summary.refined} hands refined by region assist
            {!running && summary.done === summary.total ? " — done." : running ? "" : " — paused."}
          </span>
        </div>
      )}
      {error && (
        <div className="alert" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
