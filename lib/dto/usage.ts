/** What the upstream reported as used, today and this month (UTC): the header's running totals. */
export interface UsageSummary {
  today: { tokens: number; clips: number };
  month: { tokens: number; clips: number };
}
