// Starts the pipeline (database, worker) with the server, so unfinished tasks resume after a
// restart without waiting for a first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { appContext } = await import("./lib/jobs/app-context");
  const { env } = await import("./lib/env");
  await appContext();
  if (env().useSimulator) {
    console.log("Seedance Studio: no SEEDANCE_API_TOKEN set, using the embedded simulator.");
  }
}
