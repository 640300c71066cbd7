import { SigmaAdopt } from "@/components/quality/sigma-adopt";
import { COCO_WHOLEBODY_HAND_SIGMAS, MIN_SIGMA_PAIRS, estimateSigmasFromSums, sigmaStatsFromSums } from "@/lib/oks";
import { JOINT_NAMES } from "@/lib/hand/skeleton";
import { projectPage } from "@/lib/server/http/page";
import { acceptedPairSample } from "@/lib/server/qc/agreement";
import { projectSigmas } from "@/lib/server/gold/project-sigmas";

export const metadata = { title: "Quality" };

export default projectPage({ permission: "project.manage" }, async function QualityPage({ params: { projectId } }) {
  const [sample, current] = await Promise.all([acceptedPairSample(projectId), projectSigmas(projectId)]);
  const stats = sigmaStatsFromSums(sample);
  const estimated = estimateSigmasFromSums(sample);
  return (
    <div className="stack">
      <h2 style={{ margin: 0 }}>OKS sigmas</h2>
      <p className="muted">
        OKS scores agreement and gold runs. COCO-WholeBody's hand sigmas were calibrated against whole-person area; a
        project with double annotation can derive its own as σᵢ² = E[dᵢ²/s²] over {sample.pairs} matched pairs of
        accepted hands (a joint needs {MIN_SIGMA_PAIRS} pairs, else COCO's value stands). In use now:{" "}
        {current.custom ? "the project's own" : "COCO-WholeBody"}.
      </p>
      <table data-testid="sigma-table">
        <thead>
          <tr>
            <th>Joint</th>
            <th>COCO-WholeBody</th>
            <th>In use</th>
            <th>From this project</th>
            <th>Pairs</th>
          </tr>
        </thead>
        <tbody>
          {JOINT_NAMES.map((name, j) => (
            <tr key={name}>
              <td>
                {j} {name}
              </td>
              <td>{COCO_WHOLEBODY_HAND_SIGMAS[j].toFixed(3)}</td>
              <td>{current.sigmas[j].toFixed(3)}</td>
              <td>{stats.sigmas[j] === null ? "–" : stats.sigmas[j]!.toFixed(3)}</td>
              <td>{stats.counts[j]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <SigmaAdopt projectId={projectId} estimated={estimated ? [...estimated] : null} custom={current.custom} />
    </div>
  );
});
