// Package report reads tickets' histories and computes what a support
// lead reviews each week: SLA attainment, times to respond and resolve,
// escalation rates, over- and under-escalation, the effectiveness of each
// rule, and a post-resolution review of one ticket. It only reads: its
// input is escalation.History values, from a Store's Histories (live) or
// from a replay, with the policies they ran on.
//
//	monday := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
//	r, err := report.Collect(ctx, store.Histories(ctx, monday, monday.AddDate(0, 0, 7)), report.Options{
//		Policies: []*escalation.Policy{policy}, // every version the tickets ran on
//		By:       []string{"priority", "customer.vip"},
//		End:      now, // tickets still open then are the backlog
//	})
//	if err != nil {
//		return err
//	}
//	err = r.WriteMarkdown(os.Stdout) // or WriteJSON, WriteCSV, AttainmentChart, FlowChart
//	all := r.Groups[0]              // "all", then each grouping's keys
//	fmt.Printf("%.1f%% escalated, %.1f%% over-escalated\n", all.Escalated*100, all.OverEscalated*100)
//
// An Aggregator makes one pass over the histories; its memory grows with
// the number of groups, never with the number of tickets. Collect runs it
// over a Store's stream. A Report writes JSON, CSV and Markdown, and four
// SVG charts.
//
// # Definitions
//
// Each is worked out from the history alone (see Facts), and tested on
// handmade histories.
//
//   - start tier and team: where the ticket stood once it opened, after
//     the start decisions (started entries: the matrix's start tier, a rule
//     on opened). A start by gravity is not a move.
//   - tier move: an escalated or de_escalated entry, by a person, a rule
//     or a matrix level. A hand-off (handed_off) changes team only.
//   - escalated: at least one upward tier move after opening; manual when
//     a person made one, automatic when a rule or a level did.
//     de_escalated: at least one downward move. tier_skip: one upward
//     move of two tiers or more.
//   - only_start_tier: no tier move at all. started_above_first: the start
//     tier is above the policy's first tier.
//   - reached_tier[i]: the share whose highest tier is i or above (tiers
//     counted from 0 on the ticket's policy).
//   - team_pingpong: the ticket's team sequence, consecutive repeats
//     merged, returns to a team it had left (A, B, A).
//   - waited: time > 0, before the first resolution, in a status that the
//     policy's pause map says pauses the resolution clock; the wait is
//     wall-clock time.
//   - first resolution: the first resolved event, or the first closed one
//     if the ticket was closed before any resolution.
//     wall_to_first_resolution: wall-clock time from opened to it.
//     time_to_first_resolution: the resolution clock's business time at
//     it, pauses left out (from the cycle the sla_met entry carries).
//     The same two for the first response (the first agent reply).
//     mtta and mttr are the means of the two wall-clock times.
//   - first_tier_resolution: first resolved with no tier move before.
//   - over_escalated: escalated, and first resolved on a tier below the
//     highest tier it had reached by then.
//   - under_escalated: the first resolution cycle breached before any tier
//     move (the history records the breach, sla_breached or sla_met_late,
//     before any escalated or de_escalated entry): it breached while
//     still on its start tier.
//   - reopened: at least one reopen. backlog: neither resolved nor closed
//     at the end of the data (Options.End, else its last entry).
//   - attainment = met / (met + breached). A cycle is met when it ended
//     without breaching, breached once it breached (even while it still
//     runs), and left out while it runs unbreached. Resolution is
//     measured on its first cycle (opened to the first resolution); every
//     cycle of the other metrics counts. A ticket never resolved counts as
//     breached if its clock passed the goal before the end of the data
//     (the history holds sla_breached), else it is left out.
//   - elapsed and margin of a metric: the business time its ended cycles
//     used and the goal they had left (negative: how late). Cycles still
//     running have neither.
//   - feedback_average: the mean of the scores (1 to 5) under
//     Options.Feedback; csat: the share of scores of 4 or more.
//   - resolved_within_30_days: first resolved within Ceiling of opening.
//   - shares divide by the group's tickets (the tickets opened in the
//     window), but csat, which divides by the scores.
//   - percentiles are nearest-rank: with the values sorted ascending
//     v[0..n-1], the p-th is v[ceil(p/100*n)-1]. A report keeps up to
//     Options.ExactValues values exactly (a million by default, across
//     all groups: every percentile of a report of a hundred thousand
//     tickets is exact); beyond that a distribution keeps its values in
//     log-spaced buckets and its percentiles are within 0.2% of the exact
//     ones. Means are always exact.
//
// A rule's effectiveness: times fired (a matrix level: times reached,
// whether it moved the ticket or found it already there), times failed,
// escalations it made, how many of those were followed by a downward
// move before the first resolution (over-escalated), and how many of
// those tickets breached their first resolution cycle after the
// escalation anyway. Rules and levels of the policies that never fired
// are listed.
package report
