package otel_test

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/otel"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// A helpdesk serves the engine's metrics on /metrics for Prometheus: the
// OpenTelemetry Prometheus exporter is the meter provider's reader, and
// promhttp serves the registry it registers with.
func Example_prometheus() {
	registry := prometheus.NewRegistry() // or prometheus.DefaultRegisterer and promhttp.Handler()
	exporter, err := otelprom.New(otelprom.WithRegisterer(registry), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		log.Fatal(err)
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))
	defer provider.Shutdown(context.Background())
	obs, err := otel.NewObserver(provider.Meter("github.com/ladder-go/ladder/escalation"))
	if err != nil {
		log.Fatal(err)
	}
	clk := escalation.NewSimClock(t0)
	engine, err := escalation.New(policy(), escalation.WithClock(clk), escalation.WithObserver(obs))
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))
	server := httptest.NewServer(mux)
	defer server.Close()

	// A ticket opens, and escalates at 10:30, fired 2 seconds late.
	ctx := context.Background()
	if err := engine.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
		log.Fatal(err)
	}
	clk.Set(t0.Add(30*time.Minute + 2*time.Second))
	if err := engine.Step(ctx); err != nil {
		log.Fatal(err)
	}

	resp, err := http.Get(server.URL + "/metrics")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() {
		if l := lines.Text(); strings.HasPrefix(l, "ladder_") && (!strings.Contains(l, "_bucket") || strings.Contains(l, `le="2.5"`)) {
			fmt.Println(l)
		}
	}
	// Output:
	// ladder_events_total{kind="opened"} 1
	// ladder_firing_lateness_seconds_bucket{le="2.5"} 1
	// ladder_firing_lateness_seconds_sum 2
	// ladder_firing_lateness_seconds_count 1
	// ladder_moves_total{kind="escalated",manual="false",tier="specialists"} 1
	// ladder_notifications_total{outcome="delivered"} 1
	// ladder_tickets_open 1
}
