// Makes sure Debian's Chromium is there for the browser tests: installs it when we are root
// with apt-get, otherwise fails with one line that says what to install. Never a silent skip.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(path)) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  let hasApt = false;
  try {
    execSync("command -v apt-get", { stdio: "ignore" });
    hasApt = true;
  } catch {
    hasApt = false;
  }
  if (isRoot && hasApt) {
    console.log("Chromium is missing: installing Debian's chromium package…");
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: "inherit" });
  }
  if (!existsSync(path)) {
    console.error(`Chromium not found at ${path}: install Debian's "chromium" package (sudo apt-get install chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
}
