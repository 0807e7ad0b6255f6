package escalation

import (
	"encoding/json"
	"maps"
	"slices"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// State is what ladder keeps about one ticket, but for its history, which
// the Store keeps apart. A Store persists it, and it marshals to JSON and
// back. The engine owns its contents; a host
// reads them through the engine's queries. A State is not safe for
// concurrent mutation.
type State struct {
	ID      string `json:"id"`
	Version int64  `json:"version"` // the Store's optimistic version; 0 before the first save
	Policy  string `json:"policy"`  // the policy version the ticket runs on

	Opened   time.Time `json:"opened"`
	Resolved bool      `json:"resolved,omitempty"` // resolved, until reopened or closed
	Closed   bool      `json:"closed,omitempty"`
	Status   string    `json:"status,omitempty"`
	Priority string    `json:"priority"`
	Impact   string    `json:"impact,omitempty"`
	Urgency  string    `json:"urgency,omitempty"`
	Contract string    `json:"contract,omitempty"` // the contract whose goals apply; "" for the matrix's
	Tier     string    `json:"tier"`
	Team     string    `json:"team,omitempty"`
	// TierSince is when the ticket entered its tier and team; Moves counts
	// its stays, so a time trigger fires once per stay.
	TierSince time.Time `json:"tier_since"`
	Moves     int       `json:"moves,omitempty"`
	// Escalations, DeEscalations and Handoffs count the moves up the
	// tiers, down, and to another team at the same tier.
	Escalations   int            `json:"escalations,omitempty"`
	DeEscalations int            `json:"de_escalations,omitempty"`
	Handoffs      int            `json:"handoffs,omitempty"`
	Replied       bool           `json:"replied,omitempty"`   // an agent has replied publicly
	LastReply     time.Time      `json:"last_reply,omitzero"` // the last public reply, either side
	LastEvent     time.Time      `json:"last_event"`          // the last event reported
	EventIDs      []string       `json:"event_ids,omitempty"` // the IDs of its last EventIDWindow events that had one, oldest first
	Attrs         map[string]any `json:"attrs,omitempty"`     // as last reported
	Timers        []*sla.Timer   `json:"timers"`              // one per metric
	Fired         Firings        `json:"fired,omitempty"`     // triggers fired, by key
	Checked       time.Time      `json:"checked"`             // time points are handled up to here
	Due           time.Time      `json:"due,omitzero"`        // the next instant something can happen; zero for never
	Outbox        []Pending      `json:"outbox,omitempty"`    // notifications not yet delivered
	// Entries is the length of the ticket's history, which the Store keeps
	// apart; PrevTier and PrevTeam are where the last move came from.
	Entries  int    `json:"entries"`
	PrevTier string `json:"prev_tier,omitempty"`
	PrevTeam string `json:"prev_team,omitempty"`
}

// Fire records a trigger that fired: when it last fired and how often
// (a repeating rule fires again and again). A trigger passed without
// firing (it fell while the ticket was resolved or closed) has Times 0.
type Fire struct {
	At    time.Time `json:"at"`
	Times int       `json:"times"`
	Done  bool      `json:"done,omitempty"` // no more repeats: its condition turned false, or it was passed
}

// Firings are the triggers a ticket has fired, each under its fire-once
// key, in key order. A ticket has a few dozen at most, so a sorted slice
// serves them in less memory than a map. Firings marshal to a JSON object
// by key.
type Firings []Firing

// Firing is one trigger that fired.
type Firing struct {
	Key string
	Fire
}

// find returns the position of key, or where it would go, and whether it
// is there.
func (fs Firings) find(key []byte) (int, bool) {
	return slices.BinarySearchFunc(fs, key, func(f Firing, key []byte) int {
		switch {
		case f.Key < string(key):
			return -1
		case f.Key == string(key):
			return 0
		}
		return 1
	})
}

// index returns the position of key, or -1. A ticket has a few dozen
// firings at most, whose keys share long prefixes ("rule/..."): comparing
// lengths first finds a key faster than a binary search comparing bytes.
func (fs Firings) index(key []byte) int {
	for i := range fs {
		if len(fs[i].Key) == len(key) && fs[i].Key == string(key) {
			return i
		}
	}
	return -1
}

// has reports whether key fired.
func (fs Firings) has(key []byte) bool { return fs.index(key) >= 0 }

// get returns what key records, the zero Fire if it never fired.
func (fs Firings) get(key []byte) Fire {
	if i := fs.index(key); i >= 0 {
		return fs[i].Fire
	}
	return Fire{}
}

// set records f under key.
func (fs *Firings) set(key []byte, f Fire) {
	i, ok := fs.find(key)
	if ok {
		(*fs)[i].Fire = f
		return
	}
	*fs = slices.Insert(*fs, i, Firing{string(key), f})
}

func (fs Firings) MarshalJSON() ([]byte, error) {
	m := make(map[string]Fire, len(fs))
	for _, f := range fs {
		m[f.Key] = f.Fire
	}
	return json.Marshal(m)
}

func (fs *Firings) UnmarshalJSON(data []byte) error {
	var m map[string]Fire
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*fs = nil
	for _, k := range slices.Sorted(maps.Keys(m)) {
		*fs = append(*fs, Firing{k, m[k]})
	}
	return nil
}

// Pending is a notification saved for delivery.
type Pending struct {
	Notification Notification `json:"notification"`
	NextAttempt  time.Time    `json:"next_attempt"`
}

// Clone returns a copy of s that can be changed without changing s. The
// outbox and attributes are shared, not copied: the engine only appends to
// the first (its capacity is clipped, so an append on either copy
// reallocates) and replaces the attributes whole.
func (s *State) Clone() *State {
	c := *s
	c.Timers = make([]*sla.Timer, len(s.Timers))
	for i, t := range s.Timers {
		c.Timers[i] = t.Clone()
	}
	c.Fired = slices.Clone(s.Fired)
	c.Outbox = slices.Clip(s.Outbox)
	c.EventIDs = slices.Clip(s.EventIDs)
	return &c
}

// active reports whether the ticket is open: neither resolved nor closed.
func (st *State) active() bool { return !st.Closed && !st.Resolved }

// phase names where the ticket is in its lifecycle.
func (st *State) phase() string {
	switch {
	case st.Closed:
		return "closed"
	case st.Resolved:
		return "resolved"
	}
	return "open"
}

// timer returns the ticket's timer of metric, or nil.
func (s *State) timer(metric string) *sla.Timer {
	for _, t := range s.Timers {
		if t.Metric() == metric {
			return t
		}
	}
	return nil
}
