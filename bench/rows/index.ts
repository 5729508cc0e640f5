import type { RowResult } from "../lib";

/** The rows, in table order (issue 6), with their titles. */
export const ROWS = {
  create: "create overhead",
  status: "status latency",
  polling: "1,000 unfinished tasks polled",
  delivery: "clip delivery (200 MB)",
  "delivery-s3": "clip delivery from S3 (200 MB)",
  gallery: "gallery list (10,000 rows)",
  "gallery-postgres": "gallery list (10,000 rows, PostgreSQL)",
  "gallery-scroll": "gallery scrolled to the end (5,000 clips)",
  "first-load": "studio first load",
  render: "simulator render (5 s 720p)",
  concurrent: "200 concurrent creates",
} as const;

export type RowName = keyof typeof ROWS;
export type Row = (log: (line: string) => void) => Promise<RowResult>;

/** Rows load lazily: each imports only what it measures. */
export async function loadRow(name: RowName): Promise<Row> {
  switch (name) {
    case "create":
      return (await import("./create")).default;
    case "status":
      return (await import("./status")).default;
    case "polling":
      return (await import("./polling")).default;
    case "delivery":
      return (await import("./delivery")).default;
    case "delivery-s3":
      return (await import("./delivery-s3")).default;
    case "gallery":
      return (await import("./gallery")).default;
    case "gallery-postgres":
      return (await import("./gallery-postgres")).default;
    case "gallery-scroll":
      return (await import("./gallery-scroll")).default;
    case "first-load":
      return (await import("./first-load")).default;
    case "render":
      return (await import("./render")).default;
    case "concurrent":
      return (await import("./concurrent")).default;
  }
}
