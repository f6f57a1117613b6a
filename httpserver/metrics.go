package httpserver

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"safetynet/sqlstore"
)

// metrics are exported at /metrics in the Prometheus text format. Labels
// are route patterns, never paths, so that they stay few and hold no
// personal data.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry, store *sqlstore.Store) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safetynet_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "safetynet_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&storeCollector{store: store})
	return m
}

func (m *metrics) observe(route string, code int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) handler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// storeCollector reports the connection pools of the store.
type storeCollector struct{ store *sqlstore.Store }

var (
	poolOpen  = prometheus.NewDesc("safetynet_db_connections_open", "Open database connections.", []string{"pool"}, nil)
	poolInUse = prometheus.NewDesc("safetynet_db_connections_in_use", "Database connections in use.", []string{"pool"}, nil)
	poolWaits = prometheus.NewDesc("safetynet_db_wait_seconds_total", "Time spent waiting for a database connection.", []string{"pool"}, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolOpen
	ch <- poolInUse
	ch <- poolWaits
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	w, r := c.store.Stats()
	for name, st := range map[string]struct {
		open, inUse int
		wait        time.Duration
	}{"write": {w.OpenConnections, w.InUse, w.WaitDuration}, "read": {r.OpenConnections, r.InUse, r.WaitDuration}} {
		ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(st.open), name)
		ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(st.inUse), name)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, st.wait.Seconds(), name)
	}
}
