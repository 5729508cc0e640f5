// Starts the pipeline (database, worker) with the server, so unfinished tasks resume after a
// restart without waiting for a first request; loads the session secret for the proxy and says
// loudly when the studio has no password.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { appContext } = await import("./lib/app/context");
  const { sharedSecret } = await import("./lib/db/secrets");
  const { env } = await import("./lib/env");
  const { log } = await import("./lib/log");
  const { loadSessionSecret } = await import("./lib/auth/secret");
  const ctx = await appContext();
  const config = env();
  if (config.useSimulator) log().info("no SEEDANCE_API_TOKEN set, using the embedded simulator");
  if (config.auth.password) {
    await loadSessionSecret(() => sharedSecret({ db: ctx.db, name: "session-hmac" }));
    log().info({ secretSource: config.auth.sessionSecret ? "SESSION_SECRET" : "per-database" }, "sign-in required (STUDIO_PASSWORD is set)");
  } else {
    log().warn(
      "STUDIO_PASSWORD is not set: anyone who can reach this server can use the studio and spend the credits of its API token. Set STUDIO_PASSWORD before exposing it.",
    );
  }
}
