// Command helpdesk is a small helpdesk service on ladder: an HTTP JSON API
// to open tickets and report what happens to them, an escalation engine
// running policy.json in the background, and notifications written to the
// log. Tickets are kept in a SQLite file, in PostgreSQL, or in memory.
//
//	go run ./examples/helpdesk                        # SQLite in ./helpdesk.db
//	go run ./examples/helpdesk -postgres "$DSN"       # PostgreSQL, shared by replicas
//	go run ./examples/helpdesk -mem                   # in memory, gone on exit
//
// See README.md for the API and examples with curl.
package main

import (
	"context"
	"database/sql"
	_ "embed"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/benbjohnson/clock"
	_ "github.com/jackc/pgx/v5/stdlib" // sql.Open("pgx", dsn)
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/sqlstore"
	_ "modernc.org/sqlite" // sql.Open("sqlite", dsn)
)

// policy.json is the helpdesk's escalation policy: office hours in New
// York, four tiers, two teams, a 3x3 matrix, and rules for VIPs, breaches,
// network outages and stale tickets.
//
//go:embed policy.json
var policyJSON []byte

// config is what the flags say.
type config struct {
	addr     string
	db       string // SQLite file
	postgres string // DSN; wins over db
	mem      bool   // wins over both
}

func main() {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", "localhost:8080", "address to listen on")
	flag.StringVar(&cfg.db, "db", "helpdesk.db", "SQLite file to keep tickets in")
	flag.StringVar(&cfg.postgres, "postgres", "", "PostgreSQL DSN to keep tickets in, instead of -db")
	flag.BoolVar(&cfg.mem, "mem", false, "keep tickets in memory, instead of -db or -postgres")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stdout, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log); err != nil {
		log.Error("helpdesk", "err", err)
		os.Exit(1)
	}
}

// run serves the helpdesk on the store and address cfg names until ctx
// ends.
func run(ctx context.Context, cfg config, log *slog.Logger) error {
	policy, err := escalation.ParsePolicy(policyJSON)
	if err != nil {
		return fmt.Errorf("policy.json: %w", err)
	}
	store, closeStore, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	var opts []escalation.Option
	if cfg.postgres != "" { // replicas may share it: look at it at least once a minute
		opts = append(opts, escalation.WithMaxSleep(time.Minute))
	}
	defer closeStore()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	log.Info("helpdesk listening", "addr", ln.Addr().String(), "store", describe(cfg), "policy", policy.Name+" "+policy.Version)
	return serve(ctx, ln, policy, store, log, opts...)
}

// serve runs an engine on policy and store in the background and answers
// the API on ln until ctx ends; then it stops taking requests, lets those
// under way finish, stops the engine and returns nil.
func serve(ctx context.Context, ln net.Listener, policy *escalation.Policy, store escalation.Store, log *slog.Logger, opts ...escalation.Option) error {
	clk := clock.New()
	engine, err := escalation.New(policy, append([]escalation.Option{
		escalation.WithClock(clk), escalation.WithStore(store),
		escalation.WithNotifier(logNotifier(log)), escalation.WithLogger(log)}, opts...)...)
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: newHandler(engine, policy, store, clk, log), ReadHeaderTimeout: 10 * time.Second}
	ctx, stopEngine := context.WithCancel(ctx)
	defer stopEngine()
	ranEngine := make(chan struct{})
	go func() {
		defer close(ranEngine)
		engine.Run(ctx) // returns ctx's error once stopped
	}()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err = <-served: // the listener failed
	case <-ctx.Done():
		log.Info("helpdesk shutting down")
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = srv.Shutdown(shutdown)
	}
	stopEngine()
	<-ranEngine
	return err
}

// openStore returns the store the flags choose, migrated and ready, and
// how to close it.
func openStore(ctx context.Context, cfg config) (escalation.Store, func(), error) {
	if cfg.mem {
		return escalation.NewMemoryStore(), func() {}, nil
	}
	driver, dsn, dialect := "sqlite", sqliteDSN(cfg.db), sqlstore.SQLite
	if cfg.postgres != "" {
		driver, dsn, dialect = "pgx", cfg.postgres, sqlstore.Postgres
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, nil, err
	}
	db.SetMaxIdleConns(8) // database/sql keeps 2: too few for the engine and the API together
	store, err := sqlstore.New(db, dialect)
	if err == nil {
		err = store.Migrate(ctx)
	}
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("%s: %w", describe(cfg), err)
	}
	return store, func() { db.Close() }, nil
}

// sqliteDSN opens the SQLite file path with a busy timeout, so writers wait
// for each other, and the WAL journal, so readers do not wait for writers.
func sqliteDSN(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

// describe names the store the flags choose, for the log.
func describe(cfg config) string {
	switch {
	case cfg.mem:
		return "memory"
	case cfg.postgres != "":
		return "postgres"
	}
	return "sqlite " + cfg.db
}

// logNotifier delivers a notification by writing it to log: a real
// helpdesk sends email or chat messages here, and drops a Key it has
// delivered before (delivery is at least once).
func logNotifier(log *slog.Logger) escalation.Notifier {
	return escalation.NotifierFunc(func(_ context.Context, n escalation.Notification) error {
		log.Info("notify", "to", n.To, "ticket", n.Ticket, "rule", n.Rule, "trigger", n.Trigger,
			"priority", n.Priority, "tier", n.ToTier, "team", n.ToTeam, "key", n.Key, "attempt", n.Attempt)
		return nil
	})
}
