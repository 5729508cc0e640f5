import "server-only";
import { EventEmitter } from "node:events";

/** One generation's new state, as the SSE stream sends it (whole state: idempotent to apply). */
export interface GenerationEvent {
  eventId: number;
  generation: import("@/lib/dto/generation").Generation;
}

/**
 * In-process fan-out of generation events. On PostgreSQL each instance also LISTENs, so an
 * event written by any instance reaches every instance's SSE clients.
 */
export class EventBus {
  private emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(event: GenerationEvent) {
    this.emitter.emit("event", event);
  }
  subscribe(listener: (event: GenerationEvent) => void): () => void {
    this.emitter.on("event", listener);
    return () => this.emitter.off("event", listener);
  }
}

export const NOTIFY_CHANNEL = "seedance_generation_events";
