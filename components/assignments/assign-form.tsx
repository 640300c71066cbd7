"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FormError, FormNotice } from "@/components/forms/form-status";

type TPerson = { userId: string; name: string };

/**
 * Assigns images to one annotator: the named images (a gallery page), or a batch of the oldest open
 * images (optionally of one subject). "Open queue" takes named images back.
 */
export function AssignForm({
  projectId,
  people,
  imageIds,
  subjects = [],
}: {
  projectId: string;
  people: TPerson[];
  imageIds?: string[];
  subjects?: { id: string; code: string }[];
}) {
  const router = useRouter();
  const id = useId();
  const [assigneeId, setAssigneeId] = useState(people[0]?.userId ?? "");
  const [count, setCount] = useState(10);
  const [subjectId, setSubjectId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const named = imageIds !== undefined;
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setDone(null);
    const body = named
      ? { assigneeId: assigneeId || null, imageIds }
      : { assigneeId, count, ...(subjectId ? { subjectId } : {}) };
    const result = await callApi<{ assigned: number; imageIds: string[] }>(
      "POST",
      `/api/projects/${projectId}/assignments`,
      body,
    );
    setPending(false);
    if (!result.ok) return setError(result.error);
    const who = people.find((p) => p.userId === assigneeId)?.name;
    setDone(
      who
        ? `${result.data.assigned} image${result.data.assigned === 1 ? "" : "s"} assigned to ${who}.`
        : `${result.data.imageIds.length} image(s) returned to the open queue.`,
    );
    router.refresh();
  }
  if (people.length === 0) return <p className="muted">Add annotators to the project to assign work.</p>;
  return (
    <form className="stack" onSubmit={submit} aria-label={named ? "Assign these images" : "Assign a batch"}>
      <div className="row">
        <label htmlFor={`${id}-person`}>{named ? `Assign these ${imageIds.length} images to` : "Assign to"}</label>
        <select
          id={`${id}-person`}
          value={assigneeId}
          onChange={(e) => setAssigneeId(e.target.value)}
          data-testid="assign-person"
        >
          {people.map((p) => (
            <option key={p.userId} value={p.userId}>
              {p.name}
            </option>
          ))}
          {named && <option value="">nobody (open queue)</option>}
        </select>
        {!named && (
          <>
            <label htmlFor={`${id}-count`}>the next</label>
            <input
              id={`${id}-count`}
              type="number"
              min={1}
              max={1000}
              value={count}
              onChange={(e) => setCount(Number(e.target.value))}
              style={{ width: "6em" }}
              data-testid="assign-count"
            />
            <label htmlFor={`${id}-subject`}>open images of</label>
            <select
              id={`${id}-subject`}
              value={subjectId}
              onChange={(e) => setSubjectId(e.target.value)}
              data-testid="assign-subject"
            >
              <option value="">any subject</option>
              {subjects.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.code}
                </option>
              ))}
            </select>
          </>
        )}
        <button type="submit" disabled={pending} data-testid="assign-submit">
          {pending ? "Assigning…" : "Assign"}
        </button>
      </div>
      <FormError message={error} />
      {done && <FormNotice testId="assign-done">{done}</FormNotice>}
    </form>
  );
}
