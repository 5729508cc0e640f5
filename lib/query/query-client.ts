import { QueryClient } from "@tanstack/react-query";

function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, refetchOnWindowFocus: false },
    },
  });
}

let browserClient: QueryClient | undefined;

/**
 * The tab's one query cache, shared by the studio's separately loaded parts (gallery, usage).
 * On the server every call gets a new one: a module-level cache would carry one request's data
 * into the next.
 */
export function getQueryClient(): QueryClient {
  if (typeof window === "undefined") return createQueryClient();
  return (browserClient ??= createQueryClient());
}
