// The `server-only` marker for command-line scripts (scripts/tsconfig.json maps it here): a
// script runs on the server by definition, and the package itself throws outside React's server build.
export {};
