/**
 * Catalogue keys (namespace `references`) naming one material by its number per kind ("Image 1",
 * "Video 1"): the composer's tray, its mentions and the player all count them the same way.
 */
export const MATERIAL_ITEM_KEY = { image: "referenceImage", video: "referenceVideo", audio: "referenceAudio" } as const;
