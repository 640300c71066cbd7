import { redirect } from "next/navigation";
import { publicPage } from "@/lib/server/http/page";

// The projects page signs people in when needed.
export default publicPage({ reason: "only redirects to /projects" }, async function Home() {
  redirect("/projects");
});
