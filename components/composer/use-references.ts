"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { UseFormReturn } from "react-hook-form";
import { coded, type Coded } from "@/lib/errors/codes";
import { CodedError } from "@/lib/errors/coded-error";
import { MODELS, REFERENCE_ITEMS, REFERENCE_KINDS, type ModelId, type ReferenceKind } from "@/lib/seedance/models";
import type { FormValues } from "./form-values";
import { rules } from "./form-code";
import { onReferenceRequest, type ReferenceRequest } from "./form-requests";

/** What the tray shows of a reference beside its URL: a preview, its length, a name. */
export interface ReferenceMeta {
  preview?: string;
  seconds?: number;
  name?: string;
}

export interface PendingReference {
  id: number;
  kind: ReferenceKind;
  name: string;
}

export const fieldOf = (kind: ReferenceKind) => REFERENCE_ITEMS[kind].field;

/** What the upload route answers (app/api/references/route.ts). */
interface Uploaded {
  ref: string;
  url: string;
  seconds?: number;
}

/** A data: URL's bytes (a fetch of it would be refused by the page's connect-src). */
function blobOfDataUrl(dataUrl: string): Blob {
  const [head, data = ""] = dataUrl.split(",", 2);
  const type = /^data:([^;,]+)/.exec(head ?? "")?.[1] ?? "application/octet-stream";
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

async function upload(kind: ReferenceKind, file: Blob): Promise<Uploaded> {
  let response: Response;
  try {
    response = await fetch(`/api/references?kind=${kind}`, { method: "POST", body: file, headers: { "Content-Type": file.type || "application/octet-stream" } });
  } catch {
    throw new CodedError(coded("browser_offline"));
  }
  const body = (await response.json().catch(() => null)) as (Uploaded & { error?: Coded }) | null;
  if (!response.ok || !body?.ref) throw new CodedError(body?.error?.code ? body.error : coded("reference_unreadable", { kind, n: 1 }));
  return body;
}

/**
 * The reference materials of a 2.x request: files (chosen, dropped, pasted) are checked here as
 * the model's limits say, then uploaded to our storage (a 50 MB video cannot ride in the form's
 * action), and the form holds their `media:refs/...` names; https links and gallery clips go in
 * as they are. Numbered per kind in the order added: the prompt mentions "image 1" by it.
 */
export function useReferences(form: UseFormReturn<FormValues>, model: ModelId, initialMeta?: Record<string, ReferenceMeta>) {
  const [meta, setMeta] = useState<Record<string, ReferenceMeta>>(initialMeta ?? {});
  const [pending, setPending] = useState<PendingReference[]>([]);
  // Read by files of one batch as the earlier ones land, before a render gives them new state.
  const metaNow = useRef(meta);
  const pendingNow = useRef(pending);
  const track = (next: PendingReference[]) => {
    pendingNow.current = next;
    setPending(next);
  };
  // What the last batch of additions refused, each said once (a later file does not hide an earlier one).
  const [problems, setProblems] = useState<Coded[]>([]);
  // Three files over the limit say "at most 9" once.
  const refuse = (error: Coded) => setProblems((current) => (current.some((p) => JSON.stringify(p) === JSON.stringify(error)) ? current : [...current, error]));
  const nextId = useRef(0);

  const list = useCallback((kind: ReferenceKind) => form.getValues(fieldOf(kind)) ?? [], [form]);
  const append = useCallback(
    (kind: ReferenceKind, ref: string, info: ReferenceMeta) => {
      metaNow.current = { ...metaNow.current, [ref]: info };
      setMeta(metaNow.current);
      form.setValue(fieldOf(kind), [...list(kind), ref], { shouldDirty: true, shouldValidate: form.formState.isSubmitted });
    },
    [form, list],
  );

  /** The count this kind may still take on the model, or the error that says it is full. */
  const roomFor = useCallback(
    (kind: ReferenceKind, pendingOfKind: number): Coded | null => {
      const caps = MODELS[model];
      const limits = caps.references;
      if (!limits) return coded("no_references", { model: caps.label });
      const max = { image: limits.images, video: limits.videos, audio: limits.audios }[kind];
      if (list(kind).length + pendingOfKind >= max) return coded(`reference_${kind}s_max` as "reference_images_max", { model: caps.label, max });
      return null;
    },
    [list, model],
  );

  /** Checks and uploads one file, shown meanwhile as the pending tile `id`. */
  const addFile = useCallback(
    async (file: File, kind: ReferenceKind, id: number) => {
      // Loaded with the first file: the checks (and the contract's rules they use) stay out of the form's chunk.
      const { checkMediaFile, probeSeconds } = await import("./reference-checks");
      try {
        // Files still pending before this one may all land: they count against the model's room.
        const full = roomFor(kind, pendingNow.current.filter((p) => p.kind === kind && p.id < id).length);
        if (full) return refuse(full);
        const caps = MODELS[model];
        let body: Blob = file;
        let seconds: number | undefined;
        if (kind === "image") {
          const { prepareImage } = await import("@/lib/images/prepare");
          body = blobOfDataUrl((await prepareImage(file)).dataUrl);
        } else {
          const n = list(kind).length + 1;
          seconds = await probeSeconds(file, kind).catch(() => {
            throw new CodedError(coded("reference_unreadable", { kind, n }));
          });
          const others = list(kind).reduce((sum, ref) => sum + (metaNow.current[ref]?.seconds ?? 0), 0);
          const refused = checkMediaFile(caps, kind, { n, seconds, bytes: file.size, type: file.type, othersSeconds: others });
          if (refused) throw new CodedError(refused);
        }
        const uploaded = await upload(kind, body);
        append(kind, uploaded.ref, { preview: uploaded.url, seconds: uploaded.seconds ?? seconds, name: file.name });
      } catch (error) {
        refuse(error instanceof CodedError ? error.error : coded("reference_unreadable", { kind, n: list(kind).length + 1 }));
      } finally {
        track(pendingNow.current.filter((p) => p.id !== id));
      }
    },
    [append, list, model, roomFor],
  );

  /**
   * Files chosen, dropped or pasted together: all shown as pending at once (the tray takes its
   * size in one step), then checked and uploaded one after another, so the numbers follow the
   * order they were given in and each file is checked against the ones before it.
   */
  const addFiles = useCallback(
    async (files: File[]) => {
      setProblems([]);
      const { kindOfFile } = await import("./reference-checks");
      const batch: (PendingReference & { file: File })[] = [];
      for (const file of files) {
        const kind = kindOfFile(file);
        if (!kind) {
          refuse(coded("reference_kind_unknown", { name: file.name }));
          continue;
        }
        // One more than the model takes is refused now, not after the others' uploads.
        const full = roomFor(kind, [...pendingNow.current, ...batch].filter((p) => p.kind === kind).length);
        if (full) refuse(full);
        else batch.push({ id: nextId.current++, kind, name: file.name, file });
      }
      track([...pendingNow.current, ...batch.map(({ id, kind, name }) => ({ id, kind, name }))]);
      for (const { file, kind, id } of batch) await addFile(file, kind, id);
    },
    [addFile, roomFor],
  );

  const addUrl = useCallback(
    async (url: string, forced?: ReferenceKind) => {
      setProblems([]);
      const { kindOfUrl, probeSeconds } = await import("./reference-checks");
      const kind = forced ?? kindOfUrl(url);
      const full = roomFor(kind, 0);
      if (full) return refuse(full);
      const urlProblem = (await rules.load()).referenceUrlProblem(url, kind, "ours");
      if (urlProblem) return refuse(urlProblem);
      const seconds = kind === "image" ? undefined : await probeSeconds(url, kind).catch(() => undefined);
      append(kind, url, { preview: url, seconds, name: url });
    },
    [append, roomFor],
  );

  const add = useCallback(
    (request: ReferenceRequest) => {
      setProblems([]);
      if ("file" in request) return addFiles([request.file]);
      const full = roomFor(request.kind, 0);
      if (full) return refuse(full);
      append(request.kind, request.ref, request.meta);
    },
    [addFiles, append, roomFor],
  );

  // "Use as reference" from the gallery and the player: into the current values.
  useEffect(() => onReferenceRequest((request) => void add(request)), [add]);

  const remove = useCallback(
    (kind: ReferenceKind, index: number) => {
      setProblems([]);
      form.setValue(
        fieldOf(kind),
        list(kind).filter((_, i) => i !== index),
        { shouldDirty: true, shouldValidate: form.formState.isSubmitted },
      );
    },
    [form, list],
  );

  /** Seconds of all reference videos, where known: the estimate counts them. */
  const videoSeconds = (values: FormValues) => (values.referenceVideos ?? []).reduce((sum, ref) => sum + (meta[ref]?.seconds ?? 0), 0);

  return { meta, pending, problems, addFiles, addUrl, remove, videoSeconds, kinds: REFERENCE_KINDS };
}

export type References = ReturnType<typeof useReferences>;
