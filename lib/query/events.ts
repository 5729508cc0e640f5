"use client";

import { useEffect, useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { Generation } from "@/lib/dto/generation";
import type { StoryboardDto } from "@/lib/dto/storyboard";
import { keepLiveChangesAcrossFetches, upsertGeneration } from "./generations";
import { generationKeys, storyboardKeys } from "./keys";
import { upsertStoryboard } from "./storyboards";

/**
 * One EventSource per tab: every status change from the server lands in the query cache, a
 * clip's (`generation`) and a storyboard export's (`storyboard`). On a reconnect the lists are
 * refetched once, in case events were missed.
 */
export function useGenerationEvents(onEvent?: (generation: Generation) => void, since?: number) {
  const queryClient = useQueryClient();
  const callback = useRef(onEvent);
  useEffect(() => {
    callback.current = onEvent;
  }, [onEvent]);
  useEffect(() => {
    // Start from the server render's cursor; on reconnects the browser sends Last-Event-ID itself.
    const source = new EventSource(since !== undefined ? `/api/generations/events?lastEventId=${since}` : "/api/generations/events");
    let opened = false;
    source.addEventListener("open", () => {
      if (opened) {
        void queryClient.invalidateQueries({ queryKey: generationKeys.lists() });
        void queryClient.invalidateQueries({ queryKey: storyboardKeys.all });
      }
      opened = true;
    });
    source.addEventListener("generation", (message) => {
      const generation = JSON.parse((message as MessageEvent<string>).data) as Generation;
      upsertGeneration(queryClient, generation);
      callback.current?.(generation);
    });
    source.addEventListener("storyboard", (message) => {
      upsertStoryboard(queryClient, JSON.parse((message as MessageEvent<string>).data) as StoryboardDto);
    });
    const stopKeeping = keepLiveChangesAcrossFetches(queryClient);
    return () => {
      source.close();
      stopKeeping();
    };
  }, [queryClient, since]);
}
