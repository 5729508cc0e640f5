import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * The scale-out test (tests/scale/two-instances.test.ts): its own config, out of the unit run,
 * because it needs a production build and a PostgreSQL server (tests/run-all.sh runs it after
 * the build, when TEST_DATABASE_URL is set).
 */
export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      "server-only": path.join(root, "tests/unit/support/server-only.ts"),
    },
  },
  test: {
    root,
    include: ["tests/scale/**/*.test.ts"],
    environment: "node",
    testTimeout: 600_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
