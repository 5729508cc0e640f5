/** One row, in a process of its own: `row.ts <name> <result-file>` (started by run.ts). */
import fs from "node:fs";
import { ROWS, loadRow, type RowName } from "./rows";

const [name, out] = process.argv.slice(2) as [RowName, string];
if (!(name in ROWS) || !out) {
  console.error("usage: row.ts <row> <result-file>");
  process.exit(2);
}
const log = (line: string) => console.log(`   ${line}`);
const run = await loadRow(name);
const result = await run(log);
fs.writeFileSync(out, JSON.stringify(result));
// Servers, pools and timers of the row end with the process.
process.exit(0);
