/**
 * Cost before the click: output tokens by the model vendor's formula, and money where a price
 * is configured. The provider publishes no price list we can rely on, so prices default to
 * unknown and come from configuration (SEEDANCE_PRICES, USD per million output tokens).
 */
import { FPS, frameCount, MODELS, OUTPUT_SIZES, type ModelId, type Ratio, type Resolution, type ServiceTier, type TaskType } from "./models";

export type PriceTable = Partial<Record<ModelId, number>>;

/** Per-model price in USD per million output tokens; none known by default. */
export const DEFAULT_PRICES: PriceTable = {};

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
  /** USD, when a price is configured for the model. */
  usd: number | null;
}

export function estimateCost(input: CostInput, prices: PriceTable = DEFAULT_PRICES): CostEstimate {
  const caps = MODELS[input.model];
  const resolution = input.resolution && caps.resolutions.includes(input.resolution) ? input.resolution : caps.defaultResolution;
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
  const price = prices[input.model];
  return { width, height, frames, tokens, billedTokens, usd: price === undefined ? null : (billedTokens / 1_000_000) * price };
}
