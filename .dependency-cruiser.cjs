/**
 * The architecture as rules (`npm run lint:deps`, part of `npm test`): no import cycles between
 * files, and data flows one way, so a module never reaches back up to a layer above it:
 *
 *   form -> action -> generation service -> job store -> worker -> upstream -> storage -> SSE -> gallery
 *
 * Layers, top to bottom (a module may import its own layer and those below):
 */
const LAYERS = [
  // 7: entry points and UI
  ["^app/", "^components/", "^proxy\\.ts$", "^instrumentation\\.ts$"],
  // 6: the composition root and request-level helpers (route guard, the caller's identity, error answers)
  ["^lib/app/", "^lib/http/(?!body)"],
  // 5: services: creating and reading clips, storyboards and films, shares, sign-in, limits; the browser's query cache
  ["^lib/generations/", "^lib/storyboards/", "^lib/shares/", "^lib/auth/", "^lib/limits/", "^lib/query/"],
  // 4: the job store's workers: submit, task states, downloads, callbacks, events, leases, loops
  ["^lib/jobs/"],
  // 3: JSON shapes, storage and media, the embedded upstream, image preparation
  ["^lib/dto/", "^lib/storage/(?!keys)", "^lib/media/", "^lib/simulator/", "^lib/images/"],
  // 2: the database (all SQL); the AppContext type
  ["^lib/db/", "^lib/context\\.ts$"],
  // 1: foundations: the upstream contract as data, the clip lifecycle, the storage key layout, errors, configuration
  ["^lib/seedance/", "^lib/status\\.ts$", "^lib/storage/keys", "^lib/errors", "^lib/env\\.ts$", "^lib/log\\.ts$", "^lib/text\\.ts$", "^lib/time\\.ts$", "^lib/ids\\.ts$", "^lib/site\\.ts$", "^lib/security/", "^lib/i18n/", "^lib/client/", "^lib/http/body"],
];

const upward = [];
LAYERS.forEach((layer, index) => {
  const higher = LAYERS.slice(0, index).flat();
  if (higher.length === 0) return;
  upward.push({
    name: `no-reaching-up-from-layer-${LAYERS.length - index}`,
    comment: "A module imports only its own layer and the layers below it (see the list at the top of .dependency-cruiser.cjs).",
    severity: "error",
    from: { path: layer },
    // The AppContext type names the pieces it holds (the event bus among them): a type, not a call.
    to: { path: higher, dependencyTypesNot: ["type-only"] },
  });
});

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Import cycles make load order matter and hide which module owns what. (A cycle of type-only imports, such as the contract's rules naming the schema's inferred types, does not exist at run time.)",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    ...upward,
    {
      name: "client-code-imports-no-server-services",
      comment: "Components get their data shapes from lib/dto and their data from actions, routes or props, never from a server module (types included).",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^lib/(db|jobs|app|generations|storyboards|shares|auth|limits|http|simulator|media|context)" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    includeOnly: "^(app|components|lib|proxy\\.ts|instrumentation\\.ts)",
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".tsx", ".js", ".mjs"] },
  },
};
