/** How an incident that deserves attention reaches the VP: its own brief, or a line in a storm roll-up. */
export type AttentionDecision = { mode: 'brief'; decidedAt: string } | { mode: 'rollup'; rollupId: string; decidedAt: string };

/** Recent briefable incidents across the service, and the roll-up now open: what the next decision reads. */
export interface IncidentStormGate {
  /** When each decision in the storm window was taken (older ones are dropped). */
  recent: string[];
  rollup?: { id: string; startedAt: string; lastAt: string };
}

/** One incident's line in a roll-up, as its last handled event left it. */
export interface RollupMember {
  key: string;
  /** PagerDuty's incident number, e.g. `#4211`, else its id. */
  number: string;
  title: string;
  priority: string | null;
  status: 'triggered' | 'acknowledged' | 'resolved';
  service: string | null;
  triggeredAt: string | null;
  acknowledgedAt: string | null;
  url: string | null;
  /** Timeline events folded into this line: an older line never replaces a newer one. */
  order: number;
}

export interface Rollup {
  id: string;
  startedAt: string;
}

export interface AttentionStore {
  /**
   * Takes the incident's decision once, in the same atomic write as the storm gate `decide`
   * moves on; concurrent callers serialise, and every later call returns the first decision.
   */
  decide(
    incidentKey: string,
    decide: (gate: IncidentStormGate) => { decision: AttentionDecision; gate: IncidentStormGate; startsRollup?: Rollup },
  ): Promise<AttentionDecision>;
  decision(incidentKey: string): Promise<AttentionDecision | undefined>;
  rollup(rollupId: string): Promise<Rollup | undefined>;
  /** Writes the line unless a newer one is stored; returns how many changes the roll-up has had, this one included. */
  saveMember(rollupId: string, member: RollupMember): Promise<{ saved: boolean; changes: number; previous?: RollupMember }>;
  members(rollupId: string): Promise<RollupMember[]>;
}
