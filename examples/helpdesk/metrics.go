package main

import (
	"context"
	"net/http"

	"github.com/ladder-go/ladder/escalation"
	ladderotel "github.com/ladder-go/ladder/escalation/otel"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// newMetrics returns an observer that records the engine's metrics with
// OpenTelemetry, the handler that serves them to Prometheus from a
// registry of their own, and what releases them.
func newMetrics() (escalation.Observer, http.Handler, func(), error) {
	registry := prometheus.NewRegistry()
	exporter, err := otelprom.New(otelprom.WithRegisterer(registry), otelprom.WithoutScopeInfo())
	if err != nil {
		return nil, nil, nil, err
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))
	observer, err := ladderotel.NewObserver(provider.Meter("github.com/ladder-go/ladder/escalation"))
	if err != nil {
		provider.Shutdown(context.Background())
		return nil, nil, nil, err
	}
	return observer, promhttp.HandlerFor(registry, promhttp.HandlerOpts{}), func() { provider.Shutdown(context.Background()) }, nil
}
