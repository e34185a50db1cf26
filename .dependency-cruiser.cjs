/**
 * Which folder may import which, along the data's journey. `npm test` runs these rules
 * (test/layout-imports.test.ts, which also holds README's layout table to the imports the code
 * really has); `npx depcruise config text log ingest vectors server web evals bench test` prints any
 * violation. Type-only imports count (tsPreCompilationDeps): a type is a dependency too.
 */

/** folder → the project folders it may import (its own files always). */
const LAYOUT = {
  config: [], // settings and limits: read by everything, imports nothing
  text: [], // the shared text model (sentences, headings, numerals, passage bound): imports nothing
  log: ["config"], // the one logger (LOG_* settings)
  vectors: ["config", "text"], // the shared core: schema (types.ts), index folder, search
  ingest: ["config", "text", "vectors", "log"],
  web: ["server"], // the page (browser code) and its bundler; server/contract/'s types only (rule below)
  server: ["config", "text", "vectors", "ingest", "web", "log"], // ingest: (re)builds on start; web: build.ts only
  evals: ["config", "text", "vectors", "ingest", "server", "log"],
  bench: ["config", "text", "vectors", "ingest", "server", "log"],
  test: ["config", "text", "vectors", "ingest", "web", "server", "evals", "bench", "log"],
};
const FOLDERS = Object.keys(LAYOUT);
/** The folders that ship: they may not import devDependencies. */
const PRODUCT = ["config", "text", "log", "vectors", "ingest", "web", "server"];

const folderRules = FOLDERS.flatMap((from) => {
  const others = FOLDERS.filter((f) => f !== from && !LAYOUT[from].includes(f));
  return others.length
    ? [{ name: `${from}-imports-only-${LAYOUT[from].join("-") || "itself"}`, severity: "error", from: { path: `^${from}/` }, to: { path: `^(${others.join("|")})/` } }]
    : [];
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...folderRules,
    {
      name: "server-imports-web-build-only",
      comment: "The server bundles the page at start (web/build.ts); the page's own code runs in the browser.",
      severity: "error",
      from: { path: "^server/" },
      to: { path: "^web/", pathNot: "^web/build\\.ts$" },
    },
    {
      name: "web-imports-contract-types-only",
      comment: "The page reads the API's shapes from server/contract/ as types, so its bundle holds no server code and no zod.",
      severity: "error",
      from: { path: "^web/" },
      to: { path: "^server/", pathNot: "^server/contract/" },
    },
    {
      name: "web-imports-contract-as-types",
      severity: "error",
      from: { path: "^web/" },
      to: { path: "^server/contract/", dependencyTypesNot: ["type-only"] },
    },
    { name: "no-circular", comment: "No import cycles, type-only imports included.", severity: "error", from: {}, to: { circular: true } },
    { name: "not-to-unresolvable", severity: "error", from: {}, to: { couldNotResolve: true } },
    {
      name: "not-to-undeclared-package",
      comment: "Every package imported is listed in package.json (no reliance on a transitive dependency).",
      severity: "error",
      from: {},
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "product-not-to-dev-dependency",
      comment: "`npm ci --omit=dev` must still run the product.",
      severity: "error",
      from: { path: `^(${PRODUCT.join("|")})/` },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(evals/reports|bench/results|test-artifacts)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".mts", ".js", ".mjs", ".cjs", ".d.ts"],
    },
  },
};
