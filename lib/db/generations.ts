import "server-only";
import { and, Column, eq, getTableColumns, gte, ilike, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { INPUTS_PREFIX, MEDIA_PREFIX, REFS_PREFIX } from "@/lib/storage/keys";
import { isSeedWord, searchWords } from "@/lib/text";
import type { Db } from "./client";
import { generationEvents, generations, type GenerationRow, type GenerationStatus, type NewGenerationRow } from "./schema";

export async function getGenerationById({ db, id }: { db: Db; id: string }): Promise<GenerationRow | null> {
  const [row] = await db.select().from(generations).where(eq(generations.id, id)).limit(1);
  return row ?? null;
}

/** The rows of `ids` that exist, in no particular order. */
export async function getGenerationsByIds({ db, ids }: { db: Db; ids: readonly string[] }): Promise<GenerationRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(generations).where(inArray(generations.id, [...ids]));
}

/** The clips made with "Continue from last frame" from `parentId`. */
export async function listGenerationsByParentId({ db, parentId }: { db: Db; parentId: string }): Promise<GenerationRow[]> {
  return db.select().from(generations).where(eq(generations.parentId, parentId));
}

export async function getGenerationByIdempotencyKey({ db, key }: { db: Db; key: string }) {
  const [row] = await db.select().from(generations).where(eq(generations.idempotencyKey, key)).limit(1);
  return row ?? null;
}

/**
 * A queued row as the database would hold it after an insert that left every default alone,
 * so the create path knows the whole row (and its event payload) before writing it.
 */
export function queuedRow(
  values: Pick<NewGenerationRow, "id" | "model" | "prompt" | "request"> & Partial<Pick<GenerationRow, "idempotencyKey" | "parentId" | "seedUsed" | "leaseOwner" | "leaseUntil">>,
  now = new Date(),
): GenerationRow {
  return {
    idempotencyKey: null, parentId: null, upstreamTaskId: null, traceId: null, errorKind: null, errorCode: null, errorParams: null, errorDetail: null, errorMessage: null,
    createdAt: now, updatedAt: now, submittedAt: null, runningAt: null, succeededAt: null, failedAt: null, expiredAt: null,
    cancelledAt: null, expiresAt: null, nextCheckAt: now, checkAttempts: 0, missingChecks: 0, upstreamVideoUrl: null,
    upstreamLastFrameUrl: null, downloadAttempts: 0, leaseOwner: null, leaseUntil: null, videoKey: null, videoBytes: null,
    videoSha256: null, width: null, height: null, durationSec: null, fps: null, hasAudio: null, posterKey: null,
    lastFrameKey: null, seedUsed: null, usage: null, favorite: false,
    ...values,
    status: "queued",
  };
}

/**
 * Runs a data-modifying statement and writes `payload` as an event of the row it touched, as one
 * statement: on PGlite every statement runs in the server's own thread, and this costs about
 * half as much as a transaction of two statements that each return the whole row.
 * Returns the event id, or null when the statement touched no row.
 */
async function writeWithEvent(
  db: Db,
  statement: { sql: string; params: unknown[] },
  payload: unknown,
  admit?: (tx: Db) => Promise<void>,
): Promise<number | null> {
  const text = `with touched as (${statement.sql} returning "id") insert into "generation_events" ("generation_id", "payload") select "id", $${statement.params.length + 1}::jsonb from touched returning "id"::text as "id"`;
  const params = [...statement.params, JSON.stringify(payload)];
  if (admit) return admitThenWrite(db, text, params, admit);
  const client = (db as unknown as { $client: { query: (text: string, params: unknown[]) => Promise<{ rows: { id: string }[] }> } }).$client;
  const { rows } = await client.query(text, params);
  return rows[0] ? Number(rows[0].id) : null;
}

/**
 * Every create that checks the studio's limits takes this transaction-scoped advisory lock, so
 * the limits' counts and the insert they admit act as one: PostgreSQL runs creates side by side
 * on several connections (and instances), and two counts could each see room for one more.
 */
const CREATE_ADMISSION_LOCK = 0x5eed_ad01;

/** `text` with `$n` placeholders as a drizzle SQL, to run it inside a transaction. */
function withParams(text: string, params: unknown[]): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, match.index)), sql`${params[Number(match[1]) - 1]}`);
    last = match.index + match[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks);
}

async function admitThenWrite(db: Db, text: string, params: unknown[], admit: (tx: Db) => Promise<void>): Promise<number | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CREATE_ADMISSION_LOCK}::bigint)`);
    // Throws to refuse: the transaction rolls back and nothing is written.
    await admit(tx as unknown as Db);
    const { rows } = (await tx.execute(withParams(text, params))) as unknown as { rows: { id: string }[] };
    return rows[0] ? Number(rows[0].id) : null;
  });
}

// The create path's insert, built once from the schema: drizzle's query builder costs a fifth of
// a millisecond per call for this 45-column row, a measurable share of the create overhead.
const generationColumns = Object.entries(getTableColumns(generations));
const insertGenerationSql = `insert into "generations" (${generationColumns.map(([, c]) => `"${c.name}"`).join(", ")}) values (${generationColumns
  .map((_, i) => `$${i + 1}`)
  .join(", ")}) on conflict ("idempotency_key") do nothing`;

/**
 * Inserts a row known in full (see `queuedRow`) with its creation event; null: the idempotency key
 * exists. With `admit` (the creation limits' re-check, from `enforceCreateLimits`), the check and
 * the insert run in one transaction under the create lock; `admit` throws to refuse.
 */
export function insertGenerationWithEvent({ db, row, payload, admit }: { db: Db; row: GenerationRow; payload: unknown; admit?: (tx: Db) => Promise<void> }) {
  const params = generationColumns.map(([key, column]) => {
    const value = row[key as keyof GenerationRow];
    return value === null ? null : column.mapToDriverValue(value);
  });
  return writeWithEvent(db, { sql: insertGenerationSql, params }, payload, admit);
}

/**
 * Applies `set` and writes its event only if nothing wrote the row since the caller read it
 * (`updated_at` unchanged, status still one of `from`), so the caller's prediction of the new
 * row, `payload`, is exact. Null: the row moved on; the caller takes the general path.
 */
export function updateUnchangedGenerationWithEvent({
  db,
  row,
  from,
  set,
  payload,
}: {
  db: Db;
  row: GenerationRow;
  from: readonly GenerationStatus[];
  set: Partial<NewGenerationRow>;
  payload: unknown;
}) {
  const where = and(eq(generations.id, row.id), inArray(generations.status, [...from]), eq(generations.updatedAt, row.updatedAt));
  return writeWithEvent(db, db.update(generations).set(set).where(where).toSQL(), payload);
}

export interface ListFilter {
  status?: GenerationStatus[];
  model?: string;
  /** Words, each matched on its own (all must match): in the prompt, the model id, or the seed. */
  q?: string;
  favorite?: boolean;
  cursor?: { createdAt: Date; id: string };
  limit: number;
}

const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** One search word: a prompt word, part of a model id, or a seed (exactly). */
function wordMatches(word: string): SQL {
  const matches: SQL[] = [ilike(generations.prompt, likePattern(word)), ilike(generations.model, likePattern(word))];
  if (isSeedWord(word)) {
    matches.push(eq(generations.seedUsed, Number(word)), sql`${generations.request}->>'seed' = ${word}`);
  }
  return or(...matches)!;
}


/** NULLS LAST as in generations_created_idx: a plain DESC (nulls first) cannot use that index, and the list became a scan and sort of the whole table. */
const NEWEST_FIRST = [sql`${generations.createdAt} desc nulls last`, sql`${generations.id} desc nulls last`];

/**
 * The gallery's two hot lists (its first page, and the next by cursor, with no filter), built
 * once per database and sent as named prepared statements: building the 45-column select took
 * about 0.5 ms a request, a third of what PostgreSQL takes to answer it (bench gallery-postgres).
 */
const preparedLists = new WeakMap<Db, ReturnType<typeof prepareLists>>();
function prepareLists(db: Db) {
  const limit = sql.placeholder("limit");
  return {
    first: rowsOf(db.select().from(generations).orderBy(...NEWEST_FIRST).limit(limit).prepare("gallery_first_page")),
    after: rowsOf(db
      .select()
      .from(generations)
      .where(
        or(
          lt(generations.createdAt, sql.placeholder("createdAt")),
          and(eq(generations.createdAt, sql.placeholder("createdAt")), lt(generations.id, sql.placeholder("id"))),
        ),
      )
      .orderBy(...NEWEST_FIRST)
      .limit(limit)
      .prepare("gallery_next_page")),
  };
}

/**
 * The table's columns in drizzle's select order, with their decoders: the row mapper of the hot
 * lists, built once. Drizzle's own maps every row field by field, asking each field what kind it
 * is (column, SQL, subquery) on every row: half the JavaScript of the gallery route on PostgreSQL.
 */
const COLUMNS = Object.entries(getTableColumns(generations)).map(([key, column]) => ({
  key,
  name: column.name,
  // Text, numbers, booleans and JSON arrive as they are kept (the driver parsed them); dates as text.
  decode: column.mapFromDriverValue === Column.prototype.mapFromDriverValue ? null : (value: unknown) => column.mapFromDriverValue(value),
}));

/** The driver's rows as they came (keyed by column name, dates still text), as both drivers' prepared queries give them. */
type RawRowsQuery = { all(placeholders: Record<string, unknown>): Promise<Record<string, unknown>[]> };

function rowsOf(prepared: object) {
  const query = prepared as RawRowsQuery;
  return async (placeholders: Record<string, unknown>): Promise<GenerationRow[]> =>
    (await query.all(placeholders)).map((raw) => {
      const row: Record<string, unknown> = {};
      for (const { key, name, decode } of COLUMNS) {
        const value = raw[name];
        row[key] = value === null || value === undefined ? null : decode ? decode(value) : value;
      }
      return row as GenerationRow;
    });
}
function listsOf(db: Db) {
  let lists = preparedLists.get(db);
  if (!lists) preparedLists.set(db, (lists = prepareLists(db)));
  return lists;
}

/** Newest first, keyset-paginated on (created_at, id); fetches limit + 1 to know if there is more. */
export async function listGenerations({ db, filter }: { db: Db; filter: ListFilter }) {
  const unfiltered = !filter.status?.length && !filter.model && !filter.q && !filter.favorite;
  if (unfiltered) {
    const lists = listsOf(db);
    const rows = filter.cursor
      ? await lists.after({ limit: filter.limit + 1, createdAt: filter.cursor.createdAt.toISOString(), id: filter.cursor.id })
      : await lists.first({ limit: filter.limit + 1 });
    return { rows: rows.slice(0, filter.limit), hasMore: rows.length > filter.limit };
  }
  const where: SQL[] = [];
  if (filter.status?.length) where.push(inArray(generations.status, filter.status));
  if (filter.model) where.push(eq(generations.model, filter.model));
  if (filter.q) where.push(...searchWords(filter.q).map(wordMatches));
  if (filter.favorite) where.push(eq(generations.favorite, true));
  if (filter.cursor) {
    const { createdAt, id } = filter.cursor;
    where.push(or(lt(generations.createdAt, createdAt), and(eq(generations.createdAt, createdAt), lt(generations.id, id)))!);
  }
  const rows = await db
    .select()
    .from(generations)
    .where(where.length ? and(...where) : undefined)
    .orderBy(...NEWEST_FIRST)
    .limit(filter.limit + 1);
  const hasMore = rows.length > filter.limit;
  return { rows: rows.slice(0, filter.limit), hasMore };
}

/** Marks or unmarks a clip as a favourite; not a status change, so no event and no new updatedAt. */
export async function setGenerationFavorite({ db, id, favorite }: { db: Db; id: string; favorite: boolean }): Promise<GenerationRow | null> {
  const [row] = await db.update(generations).set({ favorite }).where(eq(generations.id, id)).returning();
  return row ?? null;
}

export async function deleteGenerationRow({ db, id }: { db: Db; id: string }) {
  const [row] = await db.delete(generations).where(eq(generations.id, id)).returning();
  return row ?? null;
}

const leaseFree = (now: Date) => or(isNull(generations.leaseUntil), lt(generations.leaseUntil, now))!;

/**
 * Claims up to `limit` rows for one step of work: a lease written in the same statement as a
 * `FOR UPDATE SKIP LOCKED` pick, so two workers (or instances) never take the same row.
 */
export async function claimGenerations({
  db,
  owner,
  leaseMs,
  limit,
  kind,
}: {
  db: Db;
  owner: string;
  leaseMs: number;
  limit: number;
  kind: "submit" | "check" | "download";
}): Promise<GenerationRow[]> {
  const now = new Date();
  // "Due" is judged by the database clock: next_check_at defaults to the database's now(), which
  // has microseconds that a JavaScript Date from the same millisecond would be earlier than.
  const due =
    kind === "submit"
      ? and(eq(generations.status, "queued"), lte(generations.nextCheckAt, sql`now()`))
      : kind === "check"
        ? and(inArray(generations.status, ["submitted", "running"]), isNull(generations.upstreamVideoUrl), lte(generations.nextCheckAt, sql`now()`))
        : and(eq(generations.status, "running"), isNotNull(generations.upstreamVideoUrl), lte(generations.nextCheckAt, sql`now()`));
  const picked = db
    .select({ id: generations.id })
    .from(generations)
    .where(and(due, leaseFree(now)))
    .orderBy(generations.nextCheckAt)
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(generations)
    .set({ leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) })
    .where(inArray(generations.id, picked))
    .returning();
}

/**
 * Claims one specific row (the submit path and callbacks), if nobody else holds it.
 * The owner is the instance, not the operation: only a caller that already holds the lease
 * (the worker, after `claimGenerations`) may pass `reentrant`, or two operations of one
 * instance (a callback and a poll, two copies of one callback) would both get the row.
 */
export async function claimGeneration({
  db,
  id,
  owner,
  leaseMs,
  reentrant = false,
}: {
  db: Db;
  id: string;
  owner: string;
  leaseMs: number;
  reentrant?: boolean;
}) {
  const now = new Date();
  const [row] = await db
    .update(generations)
    .set({ leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) })
    .where(and(eq(generations.id, id), reentrant ? or(leaseFree(now), eq(generations.leaseOwner, owner)) : leaseFree(now)))
    .returning();
  return row ?? null;
}

/** Extends a lease this owner still holds; false when it no longer holds it. */
export async function renewGenerationLease({ db, id, owner, leaseMs }: { db: Db; id: string; owner: string; leaseMs: number }): Promise<boolean> {
  const rows = await db
    .update(generations)
    .set({ leaseUntil: new Date(Date.now() + leaseMs) })
    .where(and(eq(generations.id, id), eq(generations.leaseOwner, owner)))
    .returning({ id: generations.id });
  return rows.length > 0;
}

export async function releaseGeneration({ db, id, owner, patch = {} }: { db: Db; id: string; owner: string; patch?: Partial<NewGenerationRow> }) {
  await db
    .update(generations)
    .set({ ...patch, leaseOwner: null, leaseUntil: null })
    .where(and(eq(generations.id, id), eq(generations.leaseOwner, owner)));
}

/** Releases many rows this owner holds, with one patch for all (one statement). */
export async function releaseGenerations({ db, ids, owner, patch = {} }: { db: Db; ids: string[]; owner: string; patch?: Partial<NewGenerationRow> }) {
  if (ids.length === 0) return;
  await db
    .update(generations)
    .set({ ...patch, leaseOwner: null, leaseUntil: null })
    .where(and(inArray(generations.id, ids), eq(generations.leaseOwner, owner)));
}

/** Tokens the upstream reported for clips finished since `since`, and how many clips. */
export async function usageSince({ db, since }: { db: Db; since: Date }): Promise<{ tokens: number; clips: number }> {
  const [row] = await db
    .select({
      tokens: sql<number>`coalesce(sum((${generations.usage}->>'totalTokens')::bigint), 0)`,
      clips: sql<number>`count(*)`,
    })
    .from(generations)
    .where(and(eq(generations.status, "succeeded"), gte(generations.succeededAt, since)));
  return { tokens: Number(row?.tokens ?? 0), clips: Number(row?.clips ?? 0) };
}

export async function countUnfinished({ db }: { db: Db }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(generations)
    .where(inArray(generations.status, ["queued", "submitted", "running"]));
  return Number(row?.n ?? 0);
}

/** Tasks past their expiry that the upstream has not finished (one it finished in time is not expired while its clip is being stored). */
export async function listOverdueGenerationIds({ db, now }: { db: Db; now: Date }): Promise<string[]> {
  const rows = await db
    .select({ id: generations.id })
    .from(generations)
    .where(and(inArray(generations.status, ["submitted", "running"]), isNull(generations.upstreamVideoUrl), lt(generations.expiresAt, now)));
  return rows.map((r) => r.id);
}

/**
 * The single status gate's write: applies `set` only while the row's status is one of
 * `allowedFrom`, moving `updated_at` forward (even twice in one millisecond: the known-row path
 * relies on an unchanged `updated_at` meaning an unchanged row), and logs `payloadOf(row)` as its
 * event, in one transaction. Null when the change was refused.
 */
export async function updateGenerationWithEvent({
  db,
  id,
  allowedFrom,
  set,
  payloadOf,
}: {
  db: Db;
  id: string;
  allowedFrom: readonly GenerationStatus[];
  set: Partial<NewGenerationRow> & { updatedAt: Date };
  payloadOf: (row: GenerationRow) => unknown;
}): Promise<{ row: GenerationRow; eventId: number; payload: unknown } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(generations)
      .set({ ...set, updatedAt: sql`greatest(${set.updatedAt.toISOString()}::timestamptz, ${generations.updatedAt} + interval '1 millisecond')` })
      .where(and(eq(generations.id, id), inArray(generations.status, [...allowedFrom])))
      .returning();
    if (!row) return null;
    const payload = payloadOf(row);
    const [event] = await tx.insert(generationEvents).values({ generationId: id, payload }).returning({ id: generationEvents.id });
    return { row, eventId: event!.id, payload };
  });
}

/** Moves a followed task's next poll to `at` at the latest (never later than it already was). */
export async function bringCheckForward({ db, id, at }: { db: Db; id: string; at: Date }) {
  await db
    .update(generations)
    .set({ nextCheckAt: sql`least(${generations.nextCheckAt}, ${at.toISOString()}::timestamptz)` })
    .where(and(eq(generations.id, id), inArray(generations.status, ["submitted", "running"]), isNull(generations.upstreamVideoUrl)));
}

/** Storage keys of the input images that some generation's stored request points at. */
export async function referencedInputKeys({ db }: { db: Db }): Promise<Set<string>> {
  const refs = await Promise.all(
    (["firstFrame", "lastFrame"] as const).map((field) => {
      const ref = sql<string>`${generations.request}->>${field}`;
      return db
        .selectDistinct({ ref })
        .from(generations)
        .where(sql`${ref} like ${`${MEDIA_PREFIX}${INPUTS_PREFIX}%`}`);
    }),
  );
  return new Set(refs.flat().map((r) => r.ref.slice(MEDIA_PREFIX.length)));
}

/** Storage keys of the stored reference media (`refs/...`) that some generation's request lists. */
export async function referencedReferenceKeys({ db }: { db: Db }): Promise<Set<string>> {
  const refs = await Promise.all(
    (["referenceImages", "referenceVideos", "referenceAudios"] as const).map((field) => {
      const ref = sql<string>`jsonb_array_elements_text(coalesce(${generations.request}->${field}, '[]'::jsonb))`;
      return db.selectDistinct({ ref }).from(generations).where(sql`jsonb_typeof(${generations.request}->${field}) = 'array'`);
    }),
  );
  const prefix = `${MEDIA_PREFIX}${REFS_PREFIX}`;
  return new Set(refs.flat().flatMap((r) => (r.ref.startsWith(prefix) ? [r.ref.slice(MEDIA_PREFIX.length)] : [])));
}
