import { connection } from "next/server";
import { Studio } from "@/components/studio/studio";
import { appContext } from "@/lib/jobs/app-context";
import { listPage } from "@/lib/generations/service";
import { env } from "@/lib/env";

export default async function StudioPage() {
  await connection();
  const firstPage = await listPage(await appContext(), { limit: "24" });
  return <Studio initialPage={firstPage} simulator={env().useSimulator} />;
}
