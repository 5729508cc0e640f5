/**
 * The interface's number styles, and numbers formatted ahead of time.
 *
 * Chromium builds its first Intl.NumberFormat of a page in 15-40 ms (measured in a fresh page
 * on this machine; later ones take under a millisecond). Formatted during hydration, that lands
 * inside one of the studio's longest tasks at load. So the server formats the numbers the first
 * render shows and hands them to the browser (see `use-format-number`), which formats only the
 * numbers that change afterwards.
 */
export const NUMBER_STYLES = {
  /** Token counts: 108K, 1.2M. */
  compact: { notation: "compact", maximumFractionDigits: 1 },
  /** Money in the cost estimate. */
  usd: { style: "currency", currency: "USD" },
  /** Clip lengths in seconds on a card: 5.0. */
  tenths: { minimumFractionDigits: 1, maximumFractionDigits: 1 },
  /** Exact lengths in seconds (frame counts, films, the player): 5.04. */
  seconds: { maximumFractionDigits: 2 },
} as const satisfies Record<string, Intl.NumberFormatOptions>;

export type NumberStyle = keyof typeof NUMBER_STYLES;

/** Formatted text by `numberKey`, as the server made it. */
export type PreformattedNumbers = Readonly<Record<string, string>>;

export function numberKey(value: number, style: NumberStyle): string {
  return `${style}:${value}`;
}

const formats = new Map<string, Intl.NumberFormat>();

export function formatNumber(locale: string, value: number, style: NumberStyle): string {
  const key = `${locale}:${style}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, NUMBER_STYLES[style]);
    formats.set(key, format);
  }
  return format.format(value);
}

/** Formats each (value, style) once, for the browser's first render. */
export function preformatNumbers(locale: string, entries: Iterable<readonly [value: number | null | undefined, style: NumberStyle]>): PreformattedNumbers {
  const out: Record<string, string> = {};
  for (const [value, style] of entries) {
    if (typeof value === "number" && Number.isFinite(value)) out[numberKey(value, style)] = formatNumber(locale, value, style);
  }
  return out;
}
