import { useQuery } from "@tanstack/react-query";
import { api } from "../api/endpoints";

/** How many payment requests wait for this user to pay or decline (the nav's badge). */
export function usePendingIncoming(): number {
  // Under the ["payment-requests"] key: every place that refreshes the requests (the stream, a
  // payment, a decline) refreshes the badge with them.
  const q = useQuery({
    queryKey: ["payment-requests", "incoming", "pending-count"],
    queryFn: () => api.paymentRequests({ role: "incoming", status: "pending" }),
  });
  return q.data?.items.filter((r) => r.status === "pending").length ?? 0;
}
