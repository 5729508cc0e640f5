import "server-only";
import type { Db } from "@/lib/db/client";
import type { Storage } from "@/lib/storage";
import type { SeedanceTaskState } from "@/lib/seedance/types";
import type { SeedanceVideoRequest } from "@/lib/seedance/schema";
import type { EventBus, StudioEvent } from "@/lib/jobs/events";

/** What the pipeline needs from the upstream client (the real one, pointed at the API or the simulator). */
export interface UpstreamClient {
  createTask(body: SeedanceVideoRequest): Promise<{ taskId: string; traceId?: string }>;
  retrieveTask(id: string): Promise<SeedanceTaskState | null>;
  retrieveTasks(ids: string[]): Promise<Map<string, SeedanceTaskState>>;
}

export interface AppConfig {
  /** Base of the callback URL given upstream; none means polling only. */
  callbackBaseUrl?: string;
  /**
   * Base of the signed media links the upstream fetches references from (PUBLIC_BASE_URL, or the
   * internal base with the simulator); none means a request with references cannot be sent.
   * The links are signed with `callbackSecret` in their own HMAC domain (lib/security/signed-media-url.ts).
   */
  mediaBaseUrl?: string;
  callbackSecret: string;
  pollIntervalMs: number;
  maxClipBytes: number;
  /** Origins whose clip URLs may resolve to private addresses (the embedded simulator). */
  trustedMediaOrigins: string[];
  allowPrivateMedia: boolean;
  /** A download with no bytes for this long is given up and retried (default 30 s; tests shorten it). */
  downloadIdleMs?: number;
  /** How long a submit holds a row (renewed while its create call runs). Default 60 s; tests shorten it. */
  submitLeaseMs?: number;
  /** Unique per process: the owner written into row leases. */
  instanceId: string;
}

/** Everything the pipeline touches, passed explicitly so tests build their own. */
export interface AppContext {
  db: Db;
  storage: Storage;
  upstream: UpstreamClient;
  bus: EventBus;
  config: AppConfig;
  /** Publishes an event (a clip's or a storyboard's) to every instance (NOTIFY on PostgreSQL, the bus on PGlite). */
  broadcast(event: StudioEvent): Promise<void>;
  /** Asks the worker to run a tick soon (after a submit or a callback). */
  wake(): void;
}
