"use client";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 p-8 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-muted">Your clips are safe: every task is stored on the server.</p>
      <button type="button" onClick={reset} className="rounded-lg bg-accent px-4 py-2 font-medium text-white">
        Try again
      </button>
    </main>
  );
}
