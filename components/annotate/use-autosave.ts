"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { TAnnotationDoc } from "@/lib/annotate/schema";

export type TSaveStatus = "saved" | "pending" | "saving" | "retrying" | "conflict" | "refused";
export type TConflict = { version: number; doc: TAnnotationDoc };

const DEBOUNCE_MS = 700;
const MAX_RETRY_DELAY_MS = 15_000;

/**
 * Autosave, in the manner of documenso's use-envelope-autosave: debounced, one save in flight,
 * the latest edit wins, `flush()` before submitting. A failed save (network, 5xx) retries with
 * backoff and keeps the status "retrying"; a stale version stops and reports the conflict, never
 * overwriting silently; a 400 (refused) shows the server's reason.
 */
export function useAutosave({
  annotationId,
  initialVersion,
  doc,
  revision,
  takeActiveMs,
  giveBackActiveMs,
  extra,
}: {
  annotationId: string;
  initialVersion: number;
  doc: TAnnotationDoc;
  revision: number;
  takeActiveMs: () => number;
  giveBackActiveMs: (ms: number) => void;
  /** More fields for the save body (model assistance: source and raw prediction), read at each save. */
  extra?: () => Record<string, unknown> | null;
}) {
  const [status, setStatus] = useState<TSaveStatus>("saved");
  const [message, setMessage] = useState<string | null>(null);
  const [conflict, setConflict] = useState<TConflict | null>(null);
  const version = useRef(initialVersion);
  const latest = useRef({ doc, revision });
  const savedRevision = useRef(revision);
  const inFlight = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const retryDelay = useRef(1000);
  /** A conflict blocks saving until resolved; a refusal until the next edit. */
  const blocked = useRef<"conflict" | "refused" | null>(null);
  latest.current = { doc, revision };
  const extraRef = useRef(extra);
  extraRef.current = extra;

  const saveNow = useCallback(async (): Promise<void> => {
    if (inFlight.current) return inFlight.current.then(() => saveNow());
    if (blocked.current || savedRevision.current === latest.current.revision) return;
    const { doc: sending, revision: sendingRevision } = latest.current;
    const activeMs = takeActiveMs();
    setStatus("saving");
    const attempt = (async () => {
      let response: Response | null = null;
      try {
        response = await fetch(`/api/annotations/${annotationId}`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...extraRef.current?.(), version: version.current, doc: sending, activeMs }),
        });
      } catch {
        // Offline or refused: `response` stays undefined and the retry below takes over.
      }
      if (response?.ok) {
        const body = await response.json();
        version.current = body.version;
        savedRevision.current = sendingRevision;
        retryDelay.current = 1000;
        setMessage(null);
        setStatus(latest.current.revision === sendingRevision ? "saved" : "pending");
        return;
      }
      giveBackActiveMs(activeMs);
      const body = response ? await response.json().catch(() => ({})) : {};
      if (response?.status === 409 && body.current) {
        blocked.current = "conflict";
        setConflict(body.current);
        setStatus("conflict");
        setMessage(body.error ?? "Another tab or person saved a newer version.");
        return;
      }
      if (response && response.status >= 400 && response.status < 500) {
        blocked.current = "refused";
        setStatus("refused");
        setMessage(body.error ?? `The server refused the save (${response.status}).`);
        return;
      }
      setStatus("retrying");
      setMessage(
        response ? `The server answered ${response.status}; retrying…` : "The server cannot be reached; retrying…",
      );
      const delay = retryDelay.current;
      retryDelay.current = Math.min(MAX_RETRY_DELAY_MS, delay * 2);
      timer.current = setTimeout(() => void saveNow(), delay);
    })();
    inFlight.current = attempt.finally(() => {
      inFlight.current = null;
    });
    return inFlight.current;
  }, [annotationId, takeActiveMs, giveBackActiveMs]);

  useEffect(() => {
    if (blocked.current === "refused") blocked.current = null;
    if (revision === savedRevision.current || blocked.current) return;
    setStatus((current) => (current === "retrying" ? current : "pending"));
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveNow(), DEBOUNCE_MS);
  }, [revision, saveNow]);

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (savedRevision.current !== latest.current.revision) {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  return {
    status,
    message,
    conflict,
    version: () => version.current,
    dirty: () => savedRevision.current !== latest.current.revision,
    /** Saves now if anything is unsaved; resolves when the save settled. */
    flush: async () => {
      if (timer.current) clearTimeout(timer.current);
      await saveNow();
    },
    /** After a conflict: keep this tab's edits on top of the newer version. */
    keepMine: async () => {
      if (!conflict) return;
      version.current = conflict.version;
      blocked.current = null;
      setConflict(null);
      savedRevision.current = -1;
      await saveNow();
    },
    /** After a conflict: take the newer version; the caller loads `doc` into the editor. */
    takeTheirs: (loadedRevision: number) => {
      if (!conflict) return;
      version.current = conflict.version;
      blocked.current = null;
      savedRevision.current = loadedRevision;
      setConflict(null);
      setStatus("saved");
      setMessage(null);
    },
  };
}
