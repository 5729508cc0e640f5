import type { Generation } from "@/lib/dto/generation";
import type { ReferenceKind } from "@/lib/seedance/models";
import { toSeedanceRequest } from "@/lib/seedance/rules";
import type { GenerationSpec } from "@/lib/seedance/schema";

const UPSTREAM_CREATE = "https://api.acedata.cloud/seedance/videos";

/**
 * The exact upstream body for this clip and a curl command that sends it. Frames are elided (often
 * megabytes of data: URL); a reference the creator linked stays, while one stored with us (an
 * upload, a gallery clip) becomes a numbered placeholder: its signed URL expires, and our
 * `clip:` and media paths mean nothing to the upstream.
 */
export function apiRequestFor(g: Generation) {
  const elide = (url?: string) => (url ? "<image: data:image/...;base64,... or https://...>" : undefined);
  const spec = { ...g.request, seed: g.seed ?? g.request.seed, firstFrame: elide(g.request.firstFrame), lastFrame: elide(g.request.lastFrame) } as GenerationSpec;
  const counts: Record<ReferenceKind, number> = { image: 0, video: 0, audio: 0 };
  const body = toSeedanceRequest(spec, {
    referenceUrl: (url, kind) => {
      counts[kind] += 1;
      return url.startsWith("https://") ? url : `<reference ${kind} ${counts[kind]}: an https URL of the file>`;
    },
  });
  const json = JSON.stringify(body, null, 2);
  const curl = [
    `curl -X POST ${UPSTREAM_CREATE} \\`,
    '  -H "authorization: Bearer $SEEDANCE_API_TOKEN" \\',
    '  -H "accept: application/json" -H "content-type: application/json" \\',
    `  -d '${JSON.stringify(body).replace(/'/g, "'\\''")}'`,
  ].join("\n");
  return { json, curl };
}
