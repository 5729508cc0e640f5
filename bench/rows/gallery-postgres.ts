/**
 * The gallery list row on a PostgreSQL server rather than PGlite (several instances share one):
 * BENCH_DATABASE_URL (else TEST_DATABASE_URL) names the server; the row makes its own empty
 * database there, fills it with 10,000 generations, times the route against its raw SQL as
 * `gallery` does, and drops the database. Without a server the row says so (not measured).
 */
import pg from "pg";
import type { RowResult } from "../lib";
import { galleryRow } from "./gallery";

const TITLE = "gallery list (10,000 rows, PostgreSQL)";

export default async function galleryPostgres(log: (line: string) => void): Promise<RowResult> {
  const server = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!server) {
    return {
      row: "gallery-postgres",
      title: TITLE,
      baseline: "-",
      measured: "not measured",
      target: "p50 <= 2x the raw query",
      met: null,
      note: "set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server",
      details: {},
    };
  }
  const name = `seedance_bench_gallery_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  try {
    return await galleryRow(log, { databaseUrl: url.toString(), row: "gallery-postgres", title: TITLE });
  } finally {
    // The app's pool and listener close first; their sockets may take a moment to leave the
    // server, so the drop is retried (forcing it would kill them under the pool, which throws).
    const { connection } = await import("@/lib/db/client");
    await (await connection()).close().catch(() => undefined);
    for (let attempt = 0; attempt < 40; attempt++) {
      const dropped = await admin.query(`drop database if exists ${name}`).then(
        () => true,
        () => false,
      );
      if (dropped) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await admin.end();
  }
}
