export interface GalleryFilter {
  status?: string;
  model?: string;
  /** Words, each matched on its own (lib/text.ts `searchWords`). */
  q?: string;
  /** Only the clips marked as favourites. */
  favorite?: boolean;
}

/** Query keys, each built on the one before, so invalidation is precise. */
export const generationKeys = {
  all: ["generations"] as const,
  lists: () => [...generationKeys.all, "list"] as const,
  list: (filter: GalleryFilter) => [...generationKeys.lists(), filter] as const,
  detail: (id: string) => [...generationKeys.all, "detail", id] as const,
};

export const storyboardKeys = {
  all: ["storyboards"] as const,
  list: () => [...storyboardKeys.all, "list"] as const,
  detail: (id: string) => [...storyboardKeys.all, "detail", id] as const,
};
