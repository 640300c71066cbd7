import { ConsentTextForm } from "@/components/consent/consent-text-form";
import { projectPage } from "@/lib/server/http/page";
import { listConsentTexts } from "@/lib/server/consent/consent-texts";

export const metadata = { title: "Consent texts" };

export default projectPage(
  { permission: "consent.manage" },
  async function ConsentTextsPage({ params: { projectId } }) {
    const texts = await listConsentTexts(projectId);
    return (
      <div className="stack">
        <p className="muted">
          Texts never change once saved: each version keeps its sha256, so every consent record proves the exact words
          signed.
        </p>
        {texts.length === 0 ? (
          <div className="empty" data-testid="consent-texts-empty">
            No consent text yet. Paste the text your subjects sign.
          </div>
        ) : (
          <table data-testid="consent-text-table">
            <thead>
              <tr>
                <th>Version</th>
                <th>Scopes</th>
                <th>sha256</th>
                <th>Records</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {texts.map((text) => (
                <tr key={text.id} data-testid="consent-text-row">
                  <td>
                    <details>
                      <summary>{text.version}</summary>
                      <pre style={{ whiteSpace: "pre-wrap" }}>{text.body}</pre>
                      <p className="muted">{text.biometricNotice}</p>
                    </details>
                  </td>
                  <td>{text.scopes.join(", ")}</td>
                  <td>
                    <code>{text.sha256.slice(0, 16)}…</code>
                  </td>
                  <td>{text.recordCount}</td>
                  <td>{text.createdAt.toLocaleDateString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>New version</h2>
        <ConsentTextForm projectId={projectId} />
      </div>
    );
  },
);
