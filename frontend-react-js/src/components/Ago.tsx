import { ago, fullTime } from '../lib/time.ts';

/** When something was posted: "2h ago", with the full date and time on hover. */
export function Ago({ iso }: { iso: string }) {
  return <time dateTime={iso} title={fullTime(iso)}>{ago(iso)}</time>;
}
