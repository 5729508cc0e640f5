import { closestRatio, OUTPUT_SIZES, type Ratio, type Resolution } from "@/lib/seedance/models";

export interface OutputSizeInput {
  /** The requested resolution; when absent, `defaultResolution` (the model's, MODELS[model].defaultResolution). */
  resolution?: Resolution;
  defaultResolution?: Resolution;
  /**
   * The requested ratio. When absent: `adaptive` with a first frame, `16:9` without
   * (the upstream defaults for image-to-video and text-to-video).
   */
  ratio?: Ratio;
  firstFrameSize?: { width: number; height: number };
}

/**
 * Pixel size of a clip, from the contract's table (docs/seedance-contract.md#output-sizes).
 * `adaptive` follows the first frame's aspect (the closest fixed ratio), and is 16:9 when
 * there is no image.
 */
export function outputSize(input: OutputSizeInput): [number, number] {
  const resolution = input.resolution ?? input.defaultResolution ?? "720p";
  const ratio = input.ratio ?? (input.firstFrameSize ? "adaptive" : "16:9");
  const image = input.firstFrameSize;
  const fixed =
    ratio === "adaptive" ? (image && image.width > 0 && image.height > 0 ? closestRatio(image.width, image.height) : "16:9") : ratio;
  const [width, height] = OUTPUT_SIZES[fixed][resolution];
  return [width, height];
}
