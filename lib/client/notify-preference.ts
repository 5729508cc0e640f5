/**
 * Whether the creator wants a system notification when a clip finishes: the browser's permission
 * and the studio's own switch (kept in this browser), since a page cannot take a permission back.
 * Client-only; every function is safe to call where notifications do not exist.
 */
const KEY = "studio.notify";

export type NotifyState = "on" | "off" | "blocked" | "unsupported";

const supported = () => typeof window !== "undefined" && "Notification" in window;

export function notifyState(): NotifyState {
  if (!supported()) return "unsupported";
  if (Notification.permission === "denied") return "blocked";
  if (Notification.permission === "granted" && localStorage.getItem(KEY) !== "off") return "on";
  return "off";
}

/** What a notification sender checks before it shows one. */
export function notificationsWanted(): boolean {
  return notifyState() === "on";
}

/** Turns the switch on (asking the browser the first time) or off; resolves to the new state. */
export async function setNotify(on: boolean): Promise<NotifyState> {
  if (!supported()) return "unsupported";
  localStorage.setItem(KEY, on ? "on" : "off");
  if (on && Notification.permission === "default") await Notification.requestPermission();
  return notifyState();
}

/** Calls back when the permission changes in the browser's site settings (the way back after Block). */
export function watchNotifyPermission(onChange: () => void): () => void {
  if (!supported() || !navigator.permissions) return () => {};
  let status: PermissionStatus | undefined;
  let stopped = false;
  void navigator.permissions
    .query({ name: "notifications" })
    .then((s) => {
      if (stopped) return;
      status = s;
      s.addEventListener("change", onChange);
    })
    .catch(() => undefined);
  const onFocus = () => onChange();
  window.addEventListener("focus", onFocus);
  return () => {
    stopped = true;
    status?.removeEventListener("change", onChange);
    window.removeEventListener("focus", onFocus);
  };
}
