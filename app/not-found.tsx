import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 p-8 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-muted">This clip or page does not exist, or its link was revoked.</p>
      <Link href="/" className="rounded-lg bg-accent px-4 py-2 font-medium text-white">
        Open the studio
      </Link>
    </main>
  );
}
