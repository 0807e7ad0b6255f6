package escalation

import (
	"slices"
	"time"
)

// act runs one action of the rule named rule; it returns the move it made.
func (r *run) act(a Action, rule, trigger string, why []Clause, at time.Time) moves {
	st, pol := r.st, r.pol
	move := Entry{At: at, By: ByRule, Rule: rule, Trigger: trigger, Why: why}
	switch {
	case a.Escalate != "" || a.Deescalate:
		if !st.active() {
			return r.refuse(WhatEscalationRefused, rule, trigger, "the ticket is "+st.phase(), at)
		}
		i := pol.tierIndex[st.Tier]
		switch {
		case a.Deescalate && i == 0:
			return r.refuse(WhatEscalationRefused, rule, trigger, "already on the lowest tier", at)
		case a.Deescalate:
			return r.move(pol.policy.Tiers[i-1], st.Team, move)
		case a.Escalate == "next" && i+1 >= len(pol.policy.Tiers):
			return r.refuse(WhatEscalationRefused, rule, trigger, "already on the highest tier", at)
		case a.Escalate == "next":
			return r.move(pol.policy.Tiers[i+1], st.Team, move)
		case a.Escalate == st.Tier:
			return 0 // already there: nothing to do
		case pol.tierIndex[a.Escalate] < i:
			return r.refuse(WhatEscalationRefused, rule, trigger, "tier "+a.Escalate+" is below "+st.Tier, at)
		}
		return r.move(a.Escalate, st.Team, move)
	case a.Team != "":
		switch from, declared := pol.policy.Teams[st.Team]; {
		case a.Team == st.Team:
			return 0
		case !st.active():
			return r.refuse(WhatHandoffRefused, rule, trigger, "the ticket is "+st.phase(), at)
		case declared && !slices.Contains(from.Handoff, a.Team):
			return r.refuse(WhatHandoffRefused, rule, trigger, "team "+st.Team+" does not hand off to "+a.Team, at)
		}
		return r.move(st.Tier, a.Team, move)
	case len(a.Notify) > 0:
		r.notify(a.Notify, ByRule, rule, trigger, why, at)
	case a.SetPriority != "" || a.SetImpact != "" || a.SetUrgency != "":
		impact, urgency, priority, problems := pol.priorityInputs(st, a.SetImpact, a.SetUrgency, a.SetPriority, false)
		if len(problems) > 0 {
			r.record(Entry{At: at, What: WhatRuleFailed, By: ByRule, Rule: rule, Trigger: trigger, Note: problems[0]})
			return 0
		}
		r.setPriority(impact, urgency, priority, Entry{At: at, By: ByRule, Rule: rule, Trigger: trigger})
	case a.Pause != "":
		if t := st.timer(a.Pause); t != nil && t.Pause(at) == nil {
			r.record(Entry{At: at, What: WhatSLAPaused, By: ByRule, Rule: rule, Trigger: trigger, To: a.Pause})
		}
	case a.Resume != "":
		if t := st.timer(a.Resume); t != nil && t.Resume(at) == nil {
			r.record(Entry{At: at, What: WhatSLAResumed, By: ByRule, Rule: rule, Trigger: trigger, To: a.Resume})
		}
	}
	return 0
}
