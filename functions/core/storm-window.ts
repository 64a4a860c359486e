/**
 * The sliding-window rule behind every "storm" (escalations, incident briefs): items counted
 * over `windowMs`; once `threshold` are in it, the next ones fold into one message, which stays
 * the same message while items keep arriving within the window of the last one.
 */
export interface StormWindowSettings {
  threshold: number;
  windowMs: number;
}

export type WindowAdmission =
  /** Few enough recently: this one goes out on its own. */
  | { fold: false; recent: string[] }
  /** Folds into the current storm message (`continues`) or starts a new one. */
  | { fold: true; continues: boolean; recent: string[] };

/** Admits one item at `now` given the recent ones and the current storm's last arrival. Pure. */
export function admitToWindow(recent: readonly string[], stormLastAt: string | undefined, now: Date, settings: StormWindowSettings): WindowAdmission {
  const since = now.getTime() - settings.windowMs;
  const kept = recent.filter((at) => Date.parse(at) > since);
  const next = [...kept, now.toISOString()];
  if (kept.length < settings.threshold) return { fold: false, recent: next };
  return { fold: true, continues: stormLastAt !== undefined && Date.parse(stormLastAt) > since, recent: next };
}
