// Command helpdesk is a small helpdesk service on ladder: an HTTP JSON API
// to open tickets and report what happens to them, an escalation engine
// running policy.json in the background, notifications written to the log
// (and sent to a webhook with -webhook), a dashboard, health and metrics.
// Tickets are kept in a SQLite file, in PostgreSQL, or in memory.
//
//	go run ./examples/helpdesk                               # :8080, SQLite in a temp file
//	go run ./examples/helpdesk -db helpdesk.db               # SQLite in a file of yours
//	go run ./examples/helpdesk -db postgres://user@host/db   # PostgreSQL, shared by replicas
//	go run ./examples/helpdesk -mem                          # in memory, gone on exit
//
// SIGINT or SIGTERM stops it gracefully: it stops accepting, lets the
// requests under way finish, stops the engine, closes the store and exits
// 0. See README.md for the API and examples with curl.
package main

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/benbjohnson/clock"
	_ "github.com/jackc/pgx/v5/stdlib" // sql.Open("pgx", dsn)
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/notify"
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
	db       string // SQLite file; "" for one in a temp directory
	postgres string // DSN; wins over db
	mem      bool   // wins over both

	maxBody       int64
	webhook       string // also POST notifications here
	webhookSecret string
	timeouts      timeouts
}

// timeouts are the HTTP server's: how long a client may take to send a
// request's headers and whole request, how long a handler may take to
// answer, and how long an idle keep-alive connection stays open.
type timeouts struct {
	readHeader, read, write, idle time.Duration
	shutdown                      time.Duration // how long requests under way may take to finish
}

var defaultTimeouts = timeouts{readHeader: 5 * time.Second, read: 30 * time.Second, write: 60 * time.Second, idle: 2 * time.Minute, shutdown: 10 * time.Second}

func main() {
	cfg := config{timeouts: defaultTimeouts}
	flag.StringVar(&cfg.addr, "addr", ":8080", "address to listen on")
	flag.StringVar(&cfg.db, "db", "", "where to keep tickets: a SQLite file, or a postgres:// URL; empty: SQLite in a temp file, removed on exit")
	flag.BoolVar(&cfg.mem, "mem", false, "keep tickets in memory instead")
	flag.Int64Var(&cfg.maxBody, "max-body", defaultMaxBody, "bytes a request body may have")
	flag.StringVar(&cfg.webhook, "webhook", "", "also POST each notification as JSON to this URL")
	flag.StringVar(&cfg.webhookSecret, "webhook-secret", "", "sign webhook requests with this secret (HMAC-SHA256, X-Ladder-Signature)")
	flag.DurationVar(&cfg.timeouts.read, "read-timeout", defaultTimeouts.read, "how long a client may take to send a whole request")
	flag.DurationVar(&cfg.timeouts.write, "write-timeout", defaultTimeouts.write, "how long the server may take to answer")
	flag.Parse()
	if strings.HasPrefix(cfg.db, "postgres://") || strings.HasPrefix(cfg.db, "postgresql://") {
		cfg.postgres, cfg.db = cfg.db, ""
	}
	log := slog.New(slog.NewTextHandler(os.Stdout, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log); err != nil {
		log.Error("helpdesk", "err", err)
		os.Exit(1)
	}
	log.Info("helpdesk stopped")
}

// run serves the helpdesk on the store and address cfg names until ctx
// ends.
func run(ctx context.Context, cfg config, log *slog.Logger) error {
	policy, err := escalation.ParsePolicy(policyJSON)
	if err != nil {
		return fmt.Errorf("policy.json: %w", err)
	}
	if !cfg.mem && cfg.postgres == "" && cfg.db == "" {
		dir, err := os.MkdirTemp("", "helpdesk-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.db = filepath.Join(dir, "helpdesk.db")
	}
	store, closeStore, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	var opts []escalation.Option
	if cfg.postgres != "" { // replicas may share it: look at it at least once a minute
		opts = append(opts, escalation.WithMaxSleep(time.Minute))
	}
	notifier := notify.Log(log)
	if cfg.webhook != "" {
		var hookOpts []notify.WebhookOption
		if cfg.webhookSecret != "" {
			hookOpts = append(hookOpts, notify.WithSecret([]byte(cfg.webhookSecret)))
		}
		logged, hook := notifier, notify.Webhook(cfg.webhook, hookOpts...)
		notifier = escalation.NotifierFunc(func(ctx context.Context, n escalation.Notification) error {
			logged.Notify(ctx, n) // a log record cannot fail
			return hook.Notify(ctx, n)
		})
	}
	opts = append(opts, escalation.WithNotifier(notifier))
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	log.Info("helpdesk listening", "addr", ln.Addr().String(), "store", describe(cfg), "policy", policy.Name+" "+policy.Version)
	return serve(ctx, ln, policy, store, log, serveOptions{maxBody: cfg.maxBody, timeouts: cfg.timeouts}, opts...)
}

// serveOptions are serve's settings beyond the engine's.
type serveOptions struct {
	maxBody  int64    // 0: defaultMaxBody
	timeouts timeouts // zero fields: defaultTimeouts'
	// handling, when set, is called as each request reaches the API's
	// handler: tests learn when a request is under way. (A request whose
	// header net/http had read, but whose handler had not started, when
	// shutdown began is dropped with its connection.)
	handling func()
}

// serve runs an engine on policy and store in the background and answers
// the API on ln until ctx ends; then it stops taking requests, lets those
// under way finish, stops the engine and returns nil.
func serve(ctx context.Context, ln net.Listener, policy *escalation.Policy, store escalation.Store, log *slog.Logger, so serveOptions, opts ...escalation.Option) error {
	clk := clock.New()
	observer, metrics, closeMetrics, err := newMetrics()
	if err != nil {
		ln.Close()
		return err
	}
	defer closeMetrics()
	engine, err := escalation.New(policy, append([]escalation.Option{
		escalation.WithClock(clk), escalation.WithStore(store), escalation.WithObserver(observer),
		escalation.WithNotifier(notify.Log(log)), escalation.WithLogger(log)}, opts...)...)
	if err != nil {
		ln.Close()
		return err
	}
	t := so.timeouts
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.readHeader, defaultTimeouts.readHeader)
	def(&t.read, defaultTimeouts.read)
	def(&t.write, defaultTimeouts.write)
	def(&t.idle, defaultTimeouts.idle)
	def(&t.shutdown, defaultTimeouts.shutdown)
	if so.maxBody <= 0 {
		so.maxBody = defaultMaxBody
	}
	var draining atomic.Bool
	handler := newHandler(engine, policy, store, clk, log, withMaxBody(so.maxBody), withMetrics(metrics), withDraining(&draining))
	if so.handling != nil {
		api := handler
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			so.handling()
			api.ServeHTTP(w, r)
		})
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: t.readHeader, ReadTimeout: t.read, WriteTimeout: t.write, IdleTimeout: t.idle,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
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
		draining.Store(true)
		shutdown, cancel := context.WithTimeout(context.Background(), t.shutdown)
		defer cancel()
		err = srv.Shutdown(shutdown) // stops accepting, waits for the requests under way
		if errors.Is(err, context.DeadlineExceeded) {
			err = errors.Join(fmt.Errorf("requests still under way after %s", t.shutdown), srv.Close())
		}
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
	if err == nil {
		// PostgreSQL's history partitions, three months ahead of this
		// start (a service running for months also calls it monthly).
		err = store.Partitions(ctx, time.Now().AddDate(0, 3, 0))
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
