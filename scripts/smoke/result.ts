/** One hop's outcome, the shape `--json` prints in `hops`. */
export interface HopResult {
  hop: string;
  sent: boolean;
  confirmed: boolean;
  ms: number;
  traceId?: string;
  smokeId?: string;
  links: Record<string, string>;
  error?: string;
  /** What the confirmation rests on, e.g. "found by smoke id" or "dataset written after send". */
  evidence?: string;
  /** The likely cause when the hop failed, judged from what the other hops showed. */
  cause?: string;
  /** The browser hop's journey: each step and its time (and error), the first page's load and LCP. */
  journey?: { steps: { name: string; ms: number; error?: string; note?: string }[]; loadMs?: number; lcpMs?: number };
}
