// Package matrix is the escalation matrix of ladder: which priority a
// ticket gets from its impact and urgency, which SLA goals each priority
// has, and, level by level, after how long a ticket moves up, to which tier
// (and team), and who is told.
//
// A [Spec] is the matrix as plain data that reads and writes JSON. [New]
// checks a Spec against the caller's tiers and returns an immutable
// [Matrix] indexed for lookups: [Matrix.Priority] maps an impact and an
// urgency to a priority, and [Matrix.Level] says where a ticket stands on
// its priority's escalation ladder; both are allocation-free.
// [Matrix.Defaults] and [Matrix.StartTier] return the optional default
// impact and urgency and each priority's start tier. [Matrix.Markdown] and
// [Matrix.Text] print the matrix as the tables a team publishes in its
// handbook. [ITIL3x3] and [ITIL5x5] are ready-made grids with goals.
//
// # Priority grid
//
// Impacts and urgencies are ordered lists of labels, most severe first; the
// grid has one row per impact and one cell per urgency, and each cell names
// a priority. Priorities are listed highest first; a priority that no cell
// names may still be set by the rules of a policy.
//
// A matrix may name a default impact, one of its impacts, for a ticket
// whose host gives its urgency but not its impact, and a default urgency,
// one of its urgencies, for a ticket whose host gives its impact but not
// its urgency. The matrix only holds and checks them; the engine applies
// them.
//
// # Goals
//
// Each priority has at least one SLA goal: a metric ("first_response",
// "next_response", "resolution" or a custom metric), the business time it
// allows, and the name of the calendar its clock runs on ("" for the
// policy's default calendar).
//
// # Escalation levels
//
// Each priority has an ordered list of levels, its ladder. A level waits on
// one of three clocks:
//
//   - since_open: business time since the ticket opened reaches After;
//   - percent: the ticket has used Percent of the goal of Metric (a goal of
//     the same priority);
//   - in_tier: the time since the ticket entered its current tier reaches
//     After.
//
// When it is reached, the ticket moves to the level's tier, and to its team
// when one is set, and everyone in Notify is told. [Matrix.Level] answers
// for a host that climbs the ladder strictly in order. ladder's engine
// (package escalation) lets each level fall on its own clock instead, so a
// level is not held back by one before it whose clock stood still, and
// skips a level whose tier the ticket has already reached.
//
// Times must increase along the ladder, clock by clock. Levels on different
// clocks are never compared, since which of them comes first depends on the
// ticket (pauses, the calendar, when it changes tier). Within one clock,
// each level must come strictly later than the one before it on that clock:
//
//   - since_open levels: each After is greater than the After of the
//     since_open level before it;
//   - percent levels of one metric: each Percent is greater than that of the
//     percent level of the same metric before it; percent levels of
//     different metrics are not compared;
//   - in_tier levels: level k waits on the time spent in the tier of level
//     k-1. Two in_tier levels j < k count the same stay in a tier when levels
//     j-1 to k-1 all name that tier; then k's After must be greater than
//     j's. In_tier levels that count different stays are not compared, and
//     an in_tier first level, which counts the stay in the ticket's starting
//     tier, is never compared.
//
// A level may not name a tier lower than the tier of the level before it
// (tiers are given to New lowest first); it may name the same tier, for
// instance to notify someone or to move the ticket to another team.
//
// # Start tier
//
// A priority may name a start tier, one of the tiers given to New: the
// tier a ticket of that priority starts on when its host does not say, as
// for a start by gravity. Without one, such a ticket starts on the lowest
// tier. The matrix only holds and checks it; the engine applies it.
//
// # JSON
//
// A matrix is one JSON object; the escalation policy file embeds it. Its
// fields are:
//
//	impacts          array of strings, impact labels, most severe first
//	urgencies        array of strings, urgency labels, most urgent first
//	default_impact   string, optional: one of the impacts; absent for none
//	default_urgency  string, optional: one of the urgencies; absent for none
//	grid             array (one per impact) of arrays (one per urgency) of priority names
//	priorities       array of objects, highest priority first:
//	  name             string, the priority's label
//	  start_tier       string, optional: one of the caller's tiers; absent for the lowest tier
//	  goals            array of objects, at least one:
//	    metric           string: "first_response", "next_response", "resolution" or a custom name
//	    target           duration, positive
//	    calendar         string, optional: a calendar name; absent for the default calendar
//	  levels           array of objects, possibly empty:
//	    clock            string: "since_open", "percent" or "in_tier"
//	    after            duration, positive; only with since_open and in_tier
//	    metric           string; only with percent: the metric of one of the priority's goals
//	    percent          number in (0, 100]; only with percent
//	    tier             string: one of the caller's tiers
//	    team             string, optional: the team to move to; absent to keep the team
//	    notify           array of strings, optional: contacts or roles to tell
//
// A duration is a string in Go's duration syntax: "45s", "30m", "4h",
// "1h30m"; null or an absent field is zero. Percentages are JSON numbers.
// [Parse] rejects unknown fields.
// A full document, the classic three by three matrix with four tiers
// (frontline, specialists, engineering, escalation_manager):
//
//	{
//	  "impacts": ["High", "Medium", "Low"],
//	  "urgencies": ["High", "Medium", "Low"],
//	  "grid": [
//	    ["P1", "P2", "P3"],
//	    ["P2", "P3", "P4"],
//	    ["P3", "P4", "P5"]
//	  ],
//	  "priorities": [
//	    {
//	      "name": "P1",
//	      "goals": [
//	        {"metric": "first_response", "target": "15m", "calendar": "24x7"},
//	        {"metric": "resolution", "target": "4h", "calendar": "24x7"}
//	      ],
//	      "levels": [
//	        {"clock": "since_open", "after": "15m", "tier": "frontline", "notify": ["role:team_lead"]},
//	        {"clock": "since_open", "after": "30m", "tier": "specialists"},
//	        {"clock": "percent", "metric": "resolution", "percent": 50, "tier": "engineering", "notify": ["duty_manager"]},
//	        {"clock": "percent", "metric": "resolution", "percent": 90, "tier": "escalation_manager",
//	         "notify": ["duty_manager", "account_manager"]}
//	      ]
//	    },
//	    {
//	      "name": "P2",
//	      "goals": [
//	        {"metric": "first_response", "target": "1h"},
//	        {"metric": "resolution", "target": "8h"},
//	        {"metric": "next_response", "target": "2h"}
//	      ],
//	      "levels": [
//	        {"clock": "percent", "metric": "first_response", "percent": 100, "tier": "frontline", "notify": ["role:team_lead"]},
//	        {"clock": "since_open", "after": "2h", "tier": "specialists"},
//	        {"clock": "in_tier", "after": "4h", "tier": "engineering", "team": "platform", "notify": ["duty_manager"]}
//	      ]
//	    },
//	    {
//	      "name": "P3",
//	      "goals": [
//	        {"metric": "first_response", "target": "4h"},
//	        {"metric": "resolution", "target": "24h"}
//	      ],
//	      "levels": [
//	        {"clock": "percent", "metric": "resolution", "percent": 75, "tier": "specialists", "notify": ["role:team_lead"]}
//	      ]
//	    },
//	    {
//	      "name": "P4",
//	      "goals": [{"metric": "first_response", "target": "8h"}, {"metric": "resolution", "target": "40h"}],
//	      "levels": []
//	    },
//	    {
//	      "name": "P5",
//	      "goals": [{"metric": "first_response", "target": "16h"}, {"metric": "resolution", "target": "80h"}],
//	      "levels": []
//	    }
//	  ]
//	}
//
// # Bad input
//
// New (and Parse, after decoding) rejects a spec as a whole and returns an
// [*Error] that lists every problem with its path, such as
// "priorities[0].levels[2].after", quoting the offending value. It reports:
// a duration in the document that is not a duration string, such as
// "4 hours" or 3600 (Parse only); an empty list of tiers, impacts,
// urgencies or priorities; empty, duplicate or badly formed labels
// (surrounding spaces, control characters, invalid UTF-8); a default impact
// or urgency that is not one of the impacts or urgencies; a grid that does
// not have one row per impact and one cell per urgency; a cell naming an
// unknown priority; a start tier that is not in the tier set; a priority
// without goals; a badly formed or duplicate metric; a target, or an after
// of a since_open or in_tier level, that is not positive; a percent outside
// (0, 100]; a percent level whose metric has no goal in its priority; a
// missing or unknown clock, or fields that do not go with the level's
// clock; times that do not increase, as defined above; a level naming a
// tier that is not in the tier set, or a lower tier than the level before;
// empty or duplicate contacts in a notify list.
//
// A document that Parse cannot decode (not JSON, an unknown field, or a
// value other than a duration of the wrong JSON type, such as a percent
// written "50") fails with that one error, with its line and column when
// they are known.
package matrix
