package escalation_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
)

// FuzzParsePolicy checks that ParsePolicy never panics; that it fails with
// a *PolicyError and no policy, every problem on its own line; and that a
// policy that parses validates, and marshals to JSON that parses back to an
// equal policy.
func FuzzParsePolicy(f *testing.F) {
	good := string(quickstartJSON(f))
	f.Add([]byte(good))
	f.Add(readTestdata(f, "mistakes.json"))
	for _, broken := range []string{
		good[:len(good)/2],
		strings.Replace(good, `"15m"`, `"15 minutes"`, 1),
		strings.Replace(good, `"opened"`, `"open"`, 1),
		strings.Replace(good, `"network"]}`, `"billing"]}`, 1),
		strings.Replace(good, `"tiers"`, `"Tiers"`, 1),
		strings.Replace(good, `"percent": 75`, `"percent": "75"`, 1),
		strings.Replace(good, `"09:00-17:00"`, `"9-5"`, 1),
		strings.Replace(good, `ticket.customer.vip`, `ticket.customer.vipp ==`, 1),
		strings.Replace(good, `"bool"`, `{"x": ["y"]}`, 1),
		strings.Replace(good, `"billing": {`, `"bill ing": {`, 1),
		strings.Replace(good, `"pause"`, `"contracts": [{"name": "gold", "when": "ticket.customer.name == \"Initech\"", "goals": {"P2": [{"metric": "resolution", "target": "4h"}]}}], "pause"`, 1),
		strings.Replace(good, `"pause"`, `"contracts": [{"name": "", "when": "ticket.x ==", "goals": {"P9": [{"metric": "uptime", "target": "0s"}]}}], "pause"`, 1),
		strings.Replace(good, `"pending_customer", "resolved"`, `"pending_customer", "pending_customer"`, 1),
		strings.Replace(good, `"start_tier": "specialists"`, `"start_tier": "nowhere"`, 1),
		strings.Replace(good, `"default_team": "billing",`, `"default_team": "billing", "open_teams": true, "final_close": true,`, 1),
		"", "null", "[]", "{}", `{"name": 5}`, `{"rules": [{}]}`, `{"schema": {"a": null}}`,
	} {
		f.Add([]byte(broken))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := escalation.ParsePolicy(data)
		if err != nil {
			var pe *escalation.PolicyError
			if !errors.As(err, &pe) || p != nil {
				t.Fatalf("ParsePolicy returned %T and a policy %v", err, p != nil)
			}
			if len(pe.Problems) == 0 || !strings.HasPrefix(err.Error(), "escalation: invalid policy:\n\t") {
				t.Fatalf("error without problems: %q", err)
			}
			for _, pr := range pe.Problems {
				if pr.Msg == "" || strings.Contains(pr.Path+pr.Msg, "\n") {
					t.Fatalf("problem %q: %q is not one line with a message", pr.Path, pr.Msg)
				}
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("a parsed policy does not validate: %v", err)
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		back, err := escalation.ParsePolicy(out)
		if err != nil {
			t.Fatalf("ParsePolicy(Marshal(p)): %v\n%s", err, out)
		}
		if diff := cmp.Diff(p, back, policyOptions); diff != "" {
			t.Fatalf("round trip (-parsed +re-parsed):\n%s", diff)
		}
	})
}
