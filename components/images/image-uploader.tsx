"use client";

import Link from "next/link";
import { useRef, useState } from "react";

type TSubjectOption = { id: string; code: string; consentOk: boolean; reason?: string };
type TItem = {
  key: string;
  file: File;
  loaded: number;
  state: "waiting" | "uploading" | "processing" | "stored" | "duplicate" | "refused";
  message?: string;
  imageId?: string;
};

/** Two uploads at a time: keeps the server's CPU busy without queueing every file behind one. */
const PARALLEL = 2;

function uploadOne(projectId: string, subjectId: string, file: File, onProgress: (loaded: number) => void) {
  return new Promise<{ status: number; body: { image?: { id: string }; error?: string } }>((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", `/api/projects/${projectId}/images`);
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onload = () => {
      let body = {};
      try {
        body = JSON.parse(request.responseText);
      } catch {
        /* not JSON: the status text is shown instead */
      }
      resolve({ status: request.status, body });
    };
    request.onerror = () =>
      resolve({ status: 0, body: { error: "The connection failed; nothing was stored. Try again." } });
    const form = new FormData();
    form.set("subjectId", subjectId);
    form.set("file", file);
    request.send(form);
  });
}

/** Many files at once, drag and drop, a progress bar per file and overall, and a result per file. */
export function ImageUploader({ projectId, subjects }: { projectId: string; subjects: TSubjectOption[] }) {
  const [subjectId, setSubjectId] = useState(subjects.find((s) => s.consentOk)?.id ?? "");
  const [items, setItems] = useState<TItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const [running, setRunning] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const subject = subjects.find((s) => s.id === subjectId);

  const update = (key: string, change: Partial<TItem>) =>
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));

  async function start(files: File[]) {
    if (!subject?.consentOk || files.length === 0) return;
    const batch = files.map((file, index) => ({
      key: `${Date.now()}-${index}-${file.name}`,
      file,
      loaded: 0,
      state: "waiting" as const,
    }));
    setItems((list) => [...batch, ...list]);
    setRunning(true);
    const queue = [...batch];
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const { key, file } = item;
        update(key, { state: "uploading" });
        const { status, body } = await uploadOne(projectId, subjectId, file, (loaded) =>
          update(key, { loaded, state: loaded >= file.size ? "processing" : "uploading" }),
        );
        if (status === 201)
          update(key, { state: "stored", loaded: file.size, imageId: body.image?.id, message: "stored" });
        else if (status === 409 && /duplicate/i.test(body.error ?? ""))
          update(key, { state: "duplicate", loaded: file.size, message: body.error });
        else
          update(key, { state: "refused", loaded: file.size, message: body.error ?? `The server answered ${status}` });
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    setRunning(false);
  }

  const totalBytes = items.reduce((sum, item) => sum + item.file.size, 0);
  const loadedBytes = items.reduce((sum, item) => sum + item.loaded, 0);
  const counts = items.reduce<Record<string, number>>(
    (acc, item) => ({ ...acc, [item.state]: (acc[item.state] ?? 0) + 1 }),
    {},
  );

  if (subjects.length === 0) {
    return (
      <div className="empty" data-testid="upload-no-subjects">
        Create a subject and record their consent before uploading images.{" "}
        <Link href={`/projects/${projectId}/subjects/new`}>New subject</Link>
      </div>
    );
  }

  return (
    <div className="stack">
      <label>
        Subject shown in these photos
        <select value={subjectId} onChange={(e) => setSubjectId(e.target.value)} data-testid="upload-subject">
          {subjects.map((s) => (
            <option key={s.id} value={s.id}>
              {s.code}
              {s.consentOk ? "" : ` — cannot upload: ${s.reason}`}
            </option>
          ))}
        </select>
      </label>
      {subject && !subject.consentOk && (
        <div className="alert" role="alert" data-testid="upload-consent-refused">
          {subject.code} has no active consent for annotation ({subject.reason}).{" "}
          <Link href={`/projects/${projectId}/subjects/${subject.id}`}>Record consent</Link> first.
        </div>
      )}
      <div
        className="dropzone"
        data-active={dragging}
        data-testid="upload-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          start([...e.dataTransfer.files]);
        }}
      >
        <p>Drop JPEG, PNG or WebP photos here, or</p>
        <button
          type="button"
          className="primary"
          disabled={!subject?.consentOk}
          onClick={() => input.current?.click()}
          data-testid="upload-choose"
        >
          Choose files…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          accept="image/jpeg,image/png,image/webp"
          hidden
          data-testid="upload-input"
          onChange={(e) => {
            start([...(e.target.files ?? [])]);
            e.target.value = "";
          }}
        />
        <p className="muted">Location and camera metadata are removed from every stored photo.</p>
      </div>
      {items.length > 0 && (
        <div className="card stack" data-testid="upload-summary">
          <div className="row" style={{ justifyContent: "space-between" }}>
            <strong>{running ? "Uploading…" : "Done"}</strong>
            <span className="muted" data-testid="upload-counts">
              {counts.stored ?? 0} stored · {counts.duplicate ?? 0} duplicates · {counts.refused ?? 0} refused ·{" "}
              {items.length} files
            </span>
          </div>
          <div
            className="progress"
            role="progressbar"
            aria-label="Overall progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round((100 * loadedBytes) / Math.max(1, totalBytes))}
          >
            <span style={{ width: `${(100 * loadedBytes) / Math.max(1, totalBytes)}%` }} />
          </div>
          <table>
            <tbody>
              {items.map((item) => (
                <tr key={item.key} data-testid="upload-item" data-state={item.state}>
                  <td style={{ width: "35%" }}>{item.file.name}</td>
                  <td style={{ width: "25%" }}>
                    <div
                      className="progress"
                      role="progressbar"
                      aria-label={`${item.file.name} progress`}
                      aria-valuemin={0}
                      aria-valuemax={100}
                      aria-valuenow={Math.round((100 * item.loaded) / Math.max(1, item.file.size))}
                    >
                      <span style={{ width: `${(100 * item.loaded) / Math.max(1, item.file.size)}%` }} />
                    </div>
                  </td>
                  <td
                    className={
                      item.state === "stored"
                        ? "status-ok"
                        : item.state === "refused"
                          ? "status-bad"
                          : item.state === "duplicate"
                            ? "status-warn"
                            : "muted"
                    }
                    data-testid="upload-result"
                  >
                    {item.state === "stored" && item.imageId ? (
                      <Link href={`/projects/${projectId}/images/${item.imageId}`}>stored</Link>
                    ) : (
                      (item.message ?? item.state)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
