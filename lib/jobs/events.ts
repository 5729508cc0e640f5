import "server-only";
import { EventEmitter } from "node:events";
import type { Generation } from "@/lib/dto/generation";
import type { StoryboardDto } from "@/lib/dto/storyboard";

/** One generation's new state, as the SSE stream sends it (`event: generation`; whole state: idempotent to apply). */
export interface GenerationEvent {
  eventId: number;
  generation: Generation;
}

/** One storyboard's new state after an export step or an edit (`event: storyboard`; whole state too). */
export interface StoryboardEvent {
  eventId: number;
  storyboard: StoryboardDto;
}

/** Everything on the one event stream, in one order: the events table's ids. */
export type StudioEvent = GenerationEvent | StoryboardEvent;

export function isStoryboardEvent(event: StudioEvent): event is StoryboardEvent {
  return "storyboard" in event;
}

/**
 * A logged event (a row of the events table) as the bus and the SSE stream carry it: a storyboard
 * event is logged as `{ storyboard }`, a generation event as the generation itself.
 */
export function eventFromLog(row: { id: number; payload: unknown }): StudioEvent {
  const payload = row.payload as Generation | { storyboard: StoryboardDto };
  return "storyboard" in payload ? { eventId: row.id, storyboard: payload.storyboard } : { eventId: row.id, generation: payload };
}

/**
 * In-process fan-out of the event stream. On PostgreSQL each instance also LISTENs, so an event
 * written by any instance reaches every instance's SSE clients.
 */
export class EventBus {
  private emitter = new EventEmitter();
  /** The id of the last event published: the SSE stream's live feed starts after it. */
  lastPublished = 0;
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(event: StudioEvent) {
    this.lastPublished = Math.max(this.lastPublished, event.eventId);
    this.emitter.emit(isStoryboardEvent(event) ? "storyboard" : "generation", event);
  }
  /** Generation events only. */
  subscribe(listener: (event: GenerationEvent) => void): () => void {
    this.emitter.on("generation", listener);
    return () => this.emitter.off("generation", listener);
  }
  /** Storyboard events only. */
  subscribeStoryboards(listener: (event: StoryboardEvent) => void): () => void {
    this.emitter.on("storyboard", listener);
    return () => this.emitter.off("storyboard", listener);
  }
  /** Both kinds (the SSE stream). */
  subscribeAll(listener: (event: StudioEvent) => void): () => void {
    const offGenerations = this.subscribe(listener);
    const offStoryboards = this.subscribeStoryboards(listener);
    return () => {
      offGenerations();
      offStoryboards();
    };
  }
}

export const NOTIFY_CHANNEL = "seedance_generation_events";
