package escalation

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/ladder-go/ladder/sla"
)

// Engine runs a policy's escalations for many tickets: the host reports
// events, the engine keeps the SLA clocks, fires rules and matrix levels at
// exactly the instants they fall, moves tickets between tiers and teams,
// notifies people and records every decision.
//
// An Engine is safe for concurrent use: events for different tickets
// proceed in parallel, events for one ticket are serialised, and Run may
// run alongside them.
type Engine struct {
	clock    Clock
	store    Store
	notifier Notifier
	log      *slog.Logger
	backoff  func(attempt int) time.Duration
	batch    int
	maxSleep time.Duration // 0: Run sleeps until the next due instant
	skew     time.Duration // how far after the clock's now an event may be

	noteHistory int // WithNotificationHistory (notifier.go); 0 means 20

	obs Observer // WithObserver (observer.go); nil observes nothing

	limits Limits        // WithLimits (limits.go)
	stale  time.Duration // WithStaleness; negative: nothing is caught up

	mu      sync.RWMutex
	desk    desk             // the policies of tickets of no tenant of their own
	tenants map[string]*desk // UseTenant's, by tenant

	older []*Policy // from WithPolicies, until New compiles them

	seed  maphash.Seed
	locks [256]sync.Mutex // a ticket's lock is locks[hash(id)]
	wake  chan struct{}
}

// Option configures an Engine.
type Option func(*Engine)

// WithClock sets the clock Run sleeps on and Step reads: a clock.Clock
// (clock.New(), or a *clock.Mock in tests) or a *SimClock for replays and
// simulations.
func WithClock(c Clock) Option { return func(e *Engine) { e.clock = c } }

// WithStore sets where tickets' states are kept.
func WithStore(s Store) Option { return func(e *Engine) { e.store = s } }

// WithNotifier sets who delivers notifications.
func WithNotifier(n Notifier) Option { return func(e *Engine) { e.notifier = n } }

// WithLogger sets the logger for errors Run cannot return; nil discards.
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.log = l } }

// WithPolicies gives earlier policy versions that tickets may still run on.
func WithPolicies(older ...*Policy) Option { return func(e *Engine) { e.older = older } }

// WithBackoff sets the wait before the n-th retry of a failed delivery.
func WithBackoff(f func(attempt int) time.Duration) Option { return func(e *Engine) { e.backoff = f } }

// WithMaxSleep bounds how long Run sleeps between looks at the store.
// Engines in several processes that share a store need it: each learns of
// work that another scheduled, or left behind when it died, within d (a
// lease's length is a good d). 0, the default, sleeps until the next due
// instant, which is right for a store no other engine writes.
func WithMaxSleep(d time.Duration) Option { return func(e *Engine) { e.maxSleep = d } }

// WithSkew sets how far after the clock's now an event's instant may be:
// hosts' clocks differ a little from the engine's, but an event from the
// future would fire nothing in its past. Replays and tests move the clock
// to each event instead. The default is 5 minutes.
func WithSkew(d time.Duration) Option { return func(e *Engine) { e.skew = d } }

// DefaultStaleness is how long after its instant a notification is
// caught up rather than sent, unless WithStaleness says otherwise.
const DefaultStaleness = time.Hour

// WithStaleness sets how late a notification may be handled and still be
// sent on its own: one whose instant is more than d before the engine's
// now (a back-dated event, time points of an engine that was down, a long
// repeat caught up) is recorded as caught_up, and one notification of the
// engine's (rule "caught_up") stands for all those of a run, so a
// backfill does not send a storm. 0 means DefaultStaleness (an hour); a
// negative d sends every notification on its own.
func WithStaleness(d time.Duration) Option {
	return func(e *Engine) {
		if d == 0 {
			d = DefaultStaleness
		}
		e.stale = d
	}
}

// staleBefore is the instant before which a run at now catches
// notifications up.
func (e *Engine) staleBefore(now time.Time) time.Time {
	if e.stale < 0 {
		return time.Time{}
	}
	return now.Add(-e.stale)
}

// New returns an engine that opens tickets on policy p; WithPolicies gives
// earlier versions that tickets may still run on. A policy with mistakes
// is rejected with a *PolicyError listing every problem. The engine keeps
// the policies it is given: do not change them afterwards. A nil clock,
// store, notifier or backoff, or a negative skew or maximum sleep, is an
// error.
//
// Defaults: clock.New(), NewMemoryStore(), a notifier that drops
// everything, a logger that discards, a backoff of 30s doubling up to 1h,
// a skew of 5 minutes, and no bound on Run's sleep.
func New(p *Policy, opts ...Option) (*Engine, error) {
	e := &Engine{
		clock:    clock.New(),
		store:    NewMemoryStore(),
		notifier: NotifierFunc(func(context.Context, Notification) error { return nil }),
		backoff:  defaultBackoff,
		batch:    256,
		skew:     5 * time.Minute,
		limits:   DefaultLimits,
		stale:    DefaultStaleness,
		desk:     desk{versions: map[string]*compiled{}},
		seed:     maphash.MakeSeed(),
		wake:     make(chan struct{}, 1),
	}
	for _, o := range opts {
		o(e)
	}
	var errs []error
	bad := func(ok bool, msg string) {
		if !ok {
			errs = append(errs, errors.New("escalation: "+msg))
		}
	}
	bad(e.clock != nil, "WithClock(nil): the engine needs a clock")
	bad(e.store != nil, "WithStore(nil): the engine needs a store")
	bad(e.notifier != nil, "WithNotifier(nil): the engine needs a notifier")
	bad(e.backoff != nil, "WithBackoff(nil): the engine needs a backoff")
	bad(e.skew >= 0, "WithSkew: negative skew")
	bad(e.maxSleep >= 0, "WithMaxSleep: negative bound")
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if e.log == nil {
		e.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	for _, q := range append(e.older, p) {
		c, err := compile(q)
		if err != nil {
			return nil, err
		}
		e.desk.use(c)
	}
	e.older = nil
	return e, nil
}

// ready returns ErrNoEngine for an Engine that New did not make.
func (e *Engine) ready() error {
	if e == nil || e.store == nil || e.clock == nil {
		return ErrNoEngine
	}
	return nil
}

func defaultBackoff(attempt int) time.Duration {
	return min(30*time.Second<<min(attempt-1, 10), time.Hour)
}

// lock serialises the work on one ticket within this engine.
func (e *Engine) lock(id string) *sync.Mutex {
	m := &e.locks[maphash.String(e.seed, id)%uint64(len(e.locks))]
	m.Lock()
	return m
}

func (e *Engine) policy(id, version string) (*compiled, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if c, ok := e.deskOf(id).versions[version]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownPolicy, version)
}

// Report handles one event of one ticket: it brings the ticket's clocks and
// time triggers up to the event's instant, applies the event, runs the
// rules it triggers, and saves the ticket. Notifications are delivered by
// Run or Step.
//
// Report returns nil when the event was applied, and nil, changing
// nothing, for an event whose ID the ticket has already applied (among
// its last EventIDWindow ids): a host that retries with the same ID
// applies the event exactly once.
//
// An *EventError is either a refusal or a failure. A refusal lists every
// problem of the event (errors.Is finds ErrOutOfOrder, ErrLimit, ErrAttrs
// and the others of this package; see the lifecycle in the package
// documentation for what each phase refuses) and changes nothing: do not
// retry it. Any other error (the store's, ctx's) leaves the outcome
// unknown: the store may have committed the event before its reply was
// lost. Retry such an event with the same ID; without one, a retry may
// apply it twice.
func (e *Engine) Report(ctx context.Context, ev Event) (err error) {
	if err := e.ready(); err != nil {
		return err
	}
	if !ev.Kind.valid() {
		return &EventError{ev.Ticket, ev.Kind, ErrUnknownEvent}
	}
	attrs, limitErr := e.limits.check(ev) // a copy: the caller's map is not kept
	if e.limits.checkID(ev.Ticket) != nil {
		return &EventError{ev.Ticket, ev.Kind, limitErr} // no store can look it up
	}
	if ev.Attrs != nil {
		ev.Attrs = attrs
	}
	defer e.lock(ev.Ticket).Unlock()
	defer e.recovered(ev.Ticket, "Report", &err)
	for {
		st, pol, err := e.load(ctx, ev)
		if errors.Is(err, errApplied) {
			return nil // a retry of an event the ticket has: acknowledged
		}
		if err != nil {
			return &EventError{ev.Ticket, ev.Kind, errors.Join(limitErr, err)}
		}
		r := newRun(pol, st)
		r.maxNotes, r.staleBefore = e.limits.Notifications, e.staleBefore(e.clock.Now())
		pre := observedBefore(st, ev.Kind == Opened) // observer.go
		instant := checkInstant(st, ev, e.clock.Now().Add(e.skew))
		if instant == nil && limitErr == nil {
			r.advance(ev.At, false) // the event meets the ticket as it is then
		}
		if err := errors.Join(limitErr, instant, pol.check(st, ev)); err != nil {
			r.free()
			return &EventError{ev.Ticket, ev.Kind, err}
		}
		r.apply(ev)
		r.summarize(ev.At)
		r.schedule(time.Time{})
		err = e.store.Save(ctx, st, r.entries)
		if err == nil && e.obs != nil {
			e.observeRun(r, pre, &ev) // observer.go
		}
		r.free()
		if errors.Is(err, ErrConflict) {
			continue // another replica saved it meanwhile: start again from its state
		}
		if err != nil {
			return &EventError{ev.Ticket, ev.Kind, err}
		}
		e.poke()
		return nil
	}
}

// errApplied is load's answer for an event whose ID the ticket has
// already applied.
var errApplied = errors.New("escalation: event applied before")

// load returns the ticket's state and policy, or a new state on the
// current policy for an Opened event.
func (e *Engine) load(ctx context.Context, ev Event) (*State, *compiled, error) {
	st, pol, err := e.get(ctx, ev.Ticket)
	switch {
	case err == nil && ev.ID != "" && slices.Contains(st.EventIDs, ev.ID):
		return nil, nil, errApplied
	case ev.Kind == Opened && err == nil:
		return nil, nil, ErrExists
	case ev.Kind == Opened && errors.Is(err, ErrNotFound):
		e.mu.RLock()
		pol := e.deskOf(ev.Ticket).current
		e.mu.RUnlock()
		return &State{ID: ev.Ticket, Policy: pol.policy.Version}, pol, nil
	}
	return st, pol, err
}

// poke wakes Run, which may sleep past what the last save made due.
func (e *Engine) poke() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Step handles everything due up to the clock's now: time triggers at their
// exact instants and deliveries of notifications. It returns when nothing
// due is left, so tests call it after moving a mock clock. Errors of single
// tickets are joined; the other tickets are still handled.
func (e *Engine) Step(ctx context.Context) error {
	if err := e.ready(); err != nil {
		return err
	}
	now := e.clock.Now()
	var errs []error
	for {
		ids, _, err := e.due(ctx, now, e.batch)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		progress := false
		for _, id := range ids {
			moved, err := e.process(ctx, id, now)
			if err != nil {
				errs = append(errs, fmt.Errorf("escalation: ticket %q: %w", id, err))
			}
			progress = progress || moved
		}
		if len(ids) < e.batch || !progress {
			return errors.Join(errs...)
		}
	}
}

// process handles one due ticket at now; it reports whether the ticket's
// due time moved past now.
func (e *Engine) process(ctx context.Context, id string, now time.Time) (moved bool, err error) {
	defer e.lock(id).Unlock()
	defer e.recovered(id, "Step", &err)
	var r *run
	var pre observedState // observer.go
	for {
		st, err := e.store.Load(ctx, id)
		if err != nil {
			return false, err
		}
		pol, err := e.bind(st)
		if err != nil {
			return false, e.setAside(ctx, st, now, err)
		}
		r = newRun(pol, st)
		r.maxNotes, r.staleBefore = e.limits.Notifications, e.staleBefore(now)
		if e.obs != nil {
			pre, r.observe = observedBefore(st, false), true
		}
		r.advance(now, true)
		r.summarize(now)
		r.schedule(now)
		if r.truncated {
			e.log.Warn("escalation: a ticket had more time points due than one run fires; the rest passed without firing (see its points_passed entry)",
				"ticket", id, "fired", maxPoints, "at", now)
		}
		if err = e.store.Save(ctx, st, r.entries); errors.Is(err, ErrConflict) {
			r.free()
			continue
		} else if err != nil {
			r.free()
			return false, err
		}
		break
	}
	defer r.free()
	if e.obs != nil {
		e.observeRun(r, pre, nil) // before deliver reuses r.entries
	}
	err = e.deliver(ctx, r, now)
	if e.obs != nil {
		e.observeDeliveries(r, now)
	}
	if err != nil {
		return false, err
	}
	return r.st.Due.IsZero() || r.st.Due.After(now), nil
}

// setAside handles a due ticket the engine cannot run, whose policy
// version or calendar it lacks (err says which): it is due again in a
// minute, not at once, so Run does not spin on it and the other tickets
// go on; an engine given the policy (WithPolicies, Use) handles it then.
// It returns err.
func (e *Engine) setAside(ctx context.Context, st *State, now time.Time, err error) error {
	st.Due = now.Add(time.Minute)
	if serr := e.store.Save(ctx, st, nil); serr != nil && !errors.Is(serr, ErrConflict) {
		return errors.Join(err, serr)
	}
	return err
}

// Next returns the instant at which something is next due: a time point
// of a ticket or a delivery. It is zero when nothing is; it may be before
// the clock's now when due work waits for Step. Run sleeps until it; a
// test or a simulation on a mock clock moves the clock to it.
func (e *Engine) Next(ctx context.Context) (time.Time, error) {
	if err := e.ready(); err != nil {
		return time.Time{}, err
	}
	_, next, err := e.due(ctx, e.clock.Now(), 0)
	return next, err
}

// due is the store's Due, a panic in it recovered.
func (e *Engine) due(ctx context.Context, now time.Time, limit int) (ids []string, next time.Time, err error) {
	defer e.recovered("", "Store", &err)
	return e.store.Due(ctx, now, limit)
}

// Run handles due work as it falls due until ctx ends: it sleeps on the
// clock until the next due instant (or WithMaxSleep's bound), and wakes
// early when an event makes something due sooner. While the store fails,
// or a ticket that is due cannot be handled, it retries after a second,
// doubling up to a minute, and logs the errors. It returns ctx's error.
func (e *Engine) Run(ctx context.Context) error {
	if err := e.ready(); err != nil {
		return err
	}
	failures := 0
	for {
		stepErr := e.Step(ctx)
		if stepErr != nil {
			e.log.Error("escalation step", "err", stepErr)
		}
		next, err := e.Next(ctx)
		if err != nil {
			e.log.Error("escalation due", "err", err)
		}
		now := e.clock.Now()
		sleep := time.Duration(-1) // none: until an event
		if !next.IsZero() {
			sleep = max(next.Sub(now), 0)
		}
		if err != nil || (stepErr != nil && sleep == 0) { // would spin: back off
			failures++
			sleep = min(time.Second<<min(failures-1, 6), time.Minute)
		} else {
			failures = 0
		}
		if e.maxSleep > 0 && (sleep < 0 || sleep > e.maxSleep) {
			sleep = e.maxSleep
		}
		wait := ctx
		cancel := context.CancelFunc(func() {})
		if sleep >= 0 {
			wait, cancel = e.clock.WithDeadline(ctx, now.Add(sleep))
		}
		select {
		case <-wait.Done():
		case <-e.wake:
		}
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// TicketStatus is where a ticket stands at an instant. Its JSON writes
// durations as Go duration strings ("1h30m"), as the policy does.
type TicketStatus struct {
	ID       string       `json:"id"`
	Policy   string       `json:"policy"`
	Contract string       `json:"contract,omitempty"` // the contract whose goals apply; "" for the matrix's
	Priority string       `json:"priority"`
	Tier     string       `json:"tier"`
	Team     string       `json:"team,omitempty"`
	Status   string       `json:"status,omitempty"`
	Phase    string       `json:"phase"` // "open", "resolved" or "closed"
	Closed   bool         `json:"closed,omitempty"`
	SLA      []sla.Status `json:"sla"`
	// Escalations counts the moves up the tiers, by people, rules and the
	// matrix; DeEscalations the moves down; Handoffs the changes of team
	// at the same tier. Start decisions count in none.
	Escalations   int `json:"escalations"`
	DeEscalations int `json:"de_escalations"`
	Handoffs      int `json:"handoffs"`
	// Next is the next move or notification the ticket faces if nothing
	// else happens, and false when there is none.
	Next    Entry `json:"next"`
	HasNext bool  `json:"has_next"`
}

// Status returns where the ticket stands at the clock's now.
func (e *Engine) Status(ctx context.Context, id string) (TicketStatus, error) {
	if err := e.ready(); err != nil {
		return TicketStatus{}, err
	}
	st, pol, err := e.get(ctx, id)
	if err != nil {
		return TicketStatus{}, err
	}
	now := e.clock.Now()
	ts := TicketStatus{ID: st.ID, Policy: st.Policy, Contract: st.Contract, Priority: st.Priority, Tier: st.Tier, Team: st.Team,
		Status: st.Status, Phase: st.phase(), Closed: st.Closed,
		Escalations: st.Escalations, DeEscalations: st.DeEscalations, Handoffs: st.Handoffs}
	for _, t := range st.Timers {
		ts.SLA = append(ts.SLA, t.Status(now))
	}
	plan := planOf(pol, st, now, now.AddDate(0, 3, 0), 1)
	if len(plan) > 0 {
		ts.Next, ts.HasNext = plan[0], true
	}
	return ts, nil
}

// History returns the ticket's history, oldest first. The caller must not
// change it.
func (e *Engine) History(ctx context.Context, id string) (h []Entry, err error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	defer e.recovered(id, "Store", &err)
	return e.store.History(ctx, id)
}

// Plan returns the escalations and notifications that will happen to the
// ticket until until if nothing else happens, in order, with their
// instants: the answer to "what happens to this ticket next?".
func (e *Engine) Plan(ctx context.Context, id string, until time.Time) ([]Entry, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	st, pol, err := e.get(ctx, id)
	if err != nil {
		return nil, err
	}
	return planOf(pol, st, e.clock.Now(), until, 0), nil
}

// get loads a ticket and the policy it runs on, its timers bound.
func (e *Engine) get(ctx context.Context, id string) (st *State, pol *compiled, err error) {
	defer e.recovered(id, "Store", &err)
	st, err = e.store.Load(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	pol, err = e.bind(st)
	if err != nil {
		return nil, nil, err
	}
	return st, pol, nil
}

// bind returns the policy the ticket runs on and binds the timers that
// come unbound from the store (unmarshalled from JSON) to the policy's
// calendars: st must be the caller's to change, unless its timers are
// all bound.
func (e *Engine) bind(st *State) (*compiled, error) {
	pol, err := e.policy(st.ID, st.Policy)
	if err != nil {
		return nil, err
	}
	for _, t := range st.Timers {
		if !t.Bound() {
			cal, ok := pol.calendars[t.Target().Calendar]
			if !ok {
				return nil, fmt.Errorf("escalation: ticket %q: timer %s: policy %q has no calendar %q", st.ID, t.Metric(), st.Policy, t.Target().Calendar)
			}
			t.Bind(cal)
		}
	}
	return pol, nil
}

// Use makes p the policy that new tickets open on, but those of a tenant
// that UseTenant gave a policy of its own; tickets already open keep
// theirs until Migrate.
func (e *Engine) Use(p *Policy) error {
	if err := e.ready(); err != nil {
		return err
	}
	c, err := compile(p)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.desk.use(c)
	return nil
}
