"use client";

import { useEffect, useState } from "react";
import { useErrorText } from "@/lib/i18n/use-error-text";

/** A number field's value for react-hook-form: empty is unset, not 0. */
export const numberOrUnset = (v: unknown) => (v === "" || v === undefined || v === null ? undefined : Number(v));

/** A field's error, translated, under the field it belongs to. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  const translate = useErrorText();
  if (!message) return null;
  return (
    <p id={id} role="alert" className="text-xs text-red-600 dark:text-red-400">
      {translate(message)}
    </p>
  );
}

/** Seconds left until `until`, rounded up, ticking every second while there are any. */
export function useCountdown(until: number | undefined) {
  // No clock read while rendering: the server would hold the form back to a later stage of the
  // stream (a clock read is request-time data), out of the first paint. `until` only exists after
  // a press, and the effect reads the clock at once.
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (until === undefined) return;
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [until]);
  return until === undefined ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}
