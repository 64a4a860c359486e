import * as z from 'zod/mini';

/*
 * Where the effort went: each Jira issue completed in a week is put in the first category
 * (in the order configured) whose issue types or labels it matches, names compared without
 * case; an issue that matches none is "uncategorised", counted and shown, never dropped.
 * Shares are of the issues completed in that week (counts, not story points: points are not
 * on every board).
 */

export const UNCATEGORISED = 'uncategorised';

const nameList = z.array(z.string().check(z.trim(), z.minLength(1))).check(z.minLength(1));

/** `{"feature": {"issueTypes": ["Story"]}, "tech debt": {"labels": ["tech-debt"]}}`: category → what it matches. */
export const investmentCategoriesSchema = z
  .record(
    z.string().check(
      z.trim(),
      z.minLength(1),
      z.refine((name) => name.toLowerCase() !== UNCATEGORISED, `"${UNCATEGORISED}" is kept for issues that match no category`),
    ),
    z
      .strictObject({ issueTypes: z.optional(nameList), labels: z.optional(nameList) })
      .check(z.refine((rule) => rule.issueTypes || rule.labels, 'give issueTypes, labels or both')),
  )
  .check(z.refine((categories) => Object.keys(categories).length > 0, 'name at least one category'));

/** `{"tech debt": 0.2}`: the share of completed issues a category should take. */
export const investmentTargetsSchema = z.record(z.string().check(z.trim(), z.minLength(1)), z.number().check(z.gte(0), z.lte(1)));

export type InvestmentCategories = z.infer<typeof investmentCategoriesSchema>;
export type InvestmentTargets = z.infer<typeof investmentTargetsSchema>;

/**
 * The mapping used when INVESTMENT_CATEGORIES is unset: common Jira issue types and labels.
 * Incident follow-up comes first, so a Bug labelled `incident` is unplanned work, not upkeep.
 */
export const DEFAULT_INVESTMENT_CATEGORIES: InvestmentCategories = {
  'unplanned / incident follow-up': { labels: ['incident', 'incident-follow-up', 'postmortem', 'post-mortem', 'unplanned', 'hotfix'] },
  'tech debt': { issueTypes: ['Tech Debt', 'Technical Debt', 'Refactor'], labels: ['tech-debt', 'techdebt', 'tech_debt', 'refactor', 'debt'] },
  'keep the lights on': { issueTypes: ['Bug', 'Maintenance', 'Chore', 'Support', 'Ops'], labels: ['ktlo', 'maintenance', 'chore', 'upgrade', 'security'] },
  feature: { issueTypes: ['Story', 'Feature', 'Epic', 'New Feature', 'Improvement'], labels: ['feature'] },
};

export interface Completion {
  key: string;
  issueType: string | null;
  labels: string[];
  doneAt: string;
}

/** The category an issue belongs to: the first that matches its type or one of its labels. */
export function categorise(issue: Pick<Completion, 'issueType' | 'labels'>, categories: InvestmentCategories): string {
  const type = issue.issueType?.trim().toLowerCase();
  const labels = new Set(issue.labels.map((label) => label.trim().toLowerCase()));
  for (const [name, rule] of Object.entries(categories)) {
    if (type && rule.issueTypes?.some((t) => t.toLowerCase() === type)) return name;
    if (rule.labels?.some((label) => labels.has(label.toLowerCase()))) return name;
  }
  return UNCATEGORISED;
}

export interface InvestmentWeek {
  from: Date;
  total: number;
  /** Every configured category and `uncategorised`, 0 when none. */
  counts: Record<string, number>;
}

export interface InvestmentMetrics {
  /** Category names in display order: configured order, then `uncategorised`. */
  categories: string[];
  /** Oldest first; the last is this week, the one before it the previous week. */
  weeks: InvestmentWeek[];
  /** Per category with a target: this week's share minus the target (null when nothing was completed). */
  gaps: { category: string; target: number; share: number | null; gap: number | null }[];
}

const WEEK_MS = 7 * 86_400_000;

/** Counts per category for each of `weeks` 7-day buckets ending at `to`. */
export function investment(
  completions: readonly Completion[],
  to: Date,
  weeks: number,
  categories: InvestmentCategories,
  targets: InvestmentTargets,
): InvestmentMetrics {
  const names = [...Object.keys(categories), UNCATEGORISED];
  const buckets: InvestmentWeek[] = [];
  for (let i = weeks; i >= 1; i -= 1) {
    const from = to.getTime() - i * WEEK_MS;
    const counts = Object.fromEntries(names.map((name) => [name, 0]));
    // One completion per issue per week, even if it was reopened and done again.
    const seen = new Set<string>();
    for (const issue of completions) {
      const at = Date.parse(issue.doneAt);
      if (!(at >= from && at < from + WEEK_MS) || seen.has(issue.key)) continue;
      seen.add(issue.key);
      const category = categorise(issue, categories);
      counts[category] = (counts[category] ?? 0) + 1;
    }
    buckets.push({ from: new Date(from), total: seen.size, counts });
  }
  const last = buckets.at(-1);
  const gaps = Object.entries(targets).map(([category, target]) => {
    const share = last && last.total > 0 ? (last.counts[category] ?? 0) / last.total : null;
    return { category, target, share, gap: share === null ? null : share - target };
  });
  return { categories: names, weeks: buckets, gaps };
}
