/**
 * Cost before the click: output tokens by the model vendor's formula, and money where a price
 * is configured. The provider publishes no price list we can rely on, so prices default to
 * unknown and come from configuration (SEEDANCE_PRICES, USD per million output tokens).
 */
import { FPS, frameCount, MODELS, OUTPUT_SIZES, resolutionOn, type ModelId, type Ratio, type Resolution, type ServiceTier, type TaskType } from "./models";

export type PriceTable = Partial<Record<ModelId, number>>;

/** Per-model price in USD per million output tokens from configuration; none by default. */
export const DEFAULT_PRICES: PriceTable = {};

interface ListPrice {
  /** USD per million tokens without / with a reference video. */
  plain: number;
  withReferenceVideo: number;
  byResolution?: Partial<Record<Resolution, { plain: number; withReferenceVideo: number }>>;
}

/**
 * The vendor's list prices for the 2.x models (docs/seedance-contract.md, "Cost"): what the
 * estimate's money reads when SEEDANCE_PRICES names no price for the model, so the model cards
 * can say which is cheaper. The 1.x models have no published list price.
 */
export const LIST_PRICES: Partial<Record<ModelId, ListPrice>> = {
  "doubao-seedance-2-0-260128": { plain: 7.0, withReferenceVideo: 4.3, byResolution: { "4k": { plain: 4.0, withReferenceVideo: 2.4 } } },
  "doubao-seedance-2-0-fast-260128": { plain: 5.6, withReferenceVideo: 3.3 },
  "doubao-seedance-2-0-mini-260615": { plain: 3.5, withReferenceVideo: 2.1 },
  "doubao-seedance-2-5-260628": { plain: 10.7, withReferenceVideo: 6.4, byResolution: { "1080p": { plain: 11.7, withReferenceVideo: 7.0 } } },
};

function listPrice(model: ModelId, resolution: Resolution, withReferenceVideo: boolean): number | undefined {
  const list = LIST_PRICES[model];
  if (!list) return undefined;
  const tier = list.byResolution?.[resolution] ?? list;
  return withReferenceVideo ? tier.withReferenceVideo : tier.plain;
}

export interface CostInput {
  model: ModelId;
  resolution?: Resolution;
  ratio?: Ratio;
  duration?: number;
  frames?: number;
  generate_audio?: boolean;
  service_tier?: ServiceTier;
  /** Seconds of all reference videos: the vendor counts them as input tokens (docs/seedance-contract.md#seedance-2x). */
  referenceVideoSeconds?: number;
  omni_reference_task_type?: TaskType;
}

export interface CostEstimate {
  width: number;
  height: number;
  frames: number;
  /** Tokens of the clip: width × height × frames / 1024, with reference video seconds counted as frames too. */
  tokens: number;
  /** What is charged: doubled with audio (1.5 Pro), halved on the flex tier (1.x). */
  billedTokens: number;
  /** USD, when a price is configured for the model or the vendor lists one. */
  usd: number | null;
  /** Where the price came from: SEEDANCE_PRICES, the vendor's list, or nowhere. */
  priceFrom: "configured" | "list" | null;
}

export function estimateCost(input: CostInput, prices: PriceTable = DEFAULT_PRICES): CostEstimate {
  const caps = MODELS[input.model];
  const resolution = resolutionOn(input.model, input.resolution);
  // `adaptive` follows the image; 16:9 stands in for it before the clip exists.
  const ratio = !input.ratio || input.ratio === "adaptive" ? "16:9" : input.ratio;
  const [width, height] = OUTPUT_SIZES[ratio][resolution];
  const referenceSeconds = Math.max(0, input.referenceVideoSeconds ?? 0);
  // An edit is as long as its reference video (automatic length, billed by the output).
  const edit = input.omni_reference_task_type === "edit" && referenceSeconds > 0;
  const frames = edit ? Math.round(referenceSeconds * FPS) + 1 : frameCount(input);
  const tokens = Math.round((width * height * (frames + referenceSeconds * FPS)) / 1024);
  const factor = (input.generate_audio && caps.audioDoublesTokens ? 2 : 1) * (input.service_tier === "flex" && caps.acceptsFlex ? 0.5 : 1);
  const billedTokens = Math.round(tokens * factor);
  const configured = prices[input.model];
  const price = configured ?? listPrice(input.model, resolution, referenceSeconds > 0);
  return {
    width,
    height,
    frames,
    tokens,
    billedTokens,
    usd: price === undefined ? null : (billedTokens / 1_000_000) * price,
    priceFrom: configured !== undefined ? "configured" : price !== undefined ? "list" : null,
  };
}
