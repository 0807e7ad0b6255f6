package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// buildHelpdesk builds the helpdesk's binary once for the tests that run
// it as an operator would.
var buildHelpdesk = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "helpdesk-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "helpdesk")
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// listening matches the log line that says where the helpdesk listens.
var listening = regexp.MustCompile(`msg="helpdesk listening" addr=(\S+) store=("[^"]*"|\S+)`)

// TestShutdownOnSignal runs the built binary, opens a ticket through its
// API, sends it SIGTERM and sees it exit 0 within a second, on the
// default store (SQLite in a temp file, removed on exit) and in memory.
func TestShutdownOnSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, err := buildHelpdesk()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"default store", nil},
		{"memory", []string{"-mem"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, c.args...)...)
			cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			stuck := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() }) // a bound for the test: no line, no hang
			defer stuck.Stop()
			lines := bufio.NewScanner(stdout)
			var addr, store string
			var logged []string
			for addr == "" && lines.Scan() {
				logged = append(logged, lines.Text())
				if m := listening.FindStringSubmatch(lines.Text()); m != nil {
					addr, store = m[1], strings.Trim(m[2], `"`)
				}
			}
			if addr == "" {
				t.Fatalf("no listening line:\n%s\n%s", strings.Join(logged, "\n"), stderr.String())
			}
			rest := make(chan string)
			go func() { // the rest of the log, once it ends
				var b strings.Builder
				for lines.Scan() {
					b.WriteString(lines.Text() + "\n")
				}
				rest <- b.String()
			}()

			resp, err := http.Post("http://"+addr+"/tickets", "application/json", strings.NewReader(`{"id": "T-1", "impact": "high", "urgency": "high"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("open: %s", resp.Status)
			}
			resp, err = http.Get("http://" + addr + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("healthz: %s", resp.Status)
			}

			signalled := time.Now()
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				took := time.Since(signalled)
				if err != nil {
					t.Fatalf("exit: %v (stderr %s)", err, stderr.String())
				}
				if took > time.Second {
					t.Errorf("exited %v after SIGTERM, want within a second", took)
				}
				t.Logf("exited 0, %v after SIGTERM", took.Round(time.Millisecond))
			case <-time.After(5 * time.Second):
				t.Fatal("still running 5s after SIGTERM")
			}
			log := <-rest
			if !strings.Contains(log, "helpdesk shutting down") || !strings.Contains(log, "helpdesk stopped") {
				t.Errorf("log after the signal:\n%s", log)
			}
			if path, ok := strings.CutPrefix(store, "sqlite "); ok {
				if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("the temp SQLite directory %s is left: %v", filepath.Dir(path), err)
				}
			}
		})
	}
}

// served runs serve on a loopback listener with so until the test ends,
// and returns its base URL and a function that shuts it down and returns
// serve's error.
func served(t *testing.T, so serveOptions) (string, func() error) {
	t.Helper()
	policy, err := escalation.ParsePolicy(policyJSON)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, policy, escalation.NewMemoryStore(), slog.New(slog.DiscardHandler), so) }()
	stop := sync.OnceValue(func() error { cancel(); return <-done })
	t.Cleanup(func() { stop() })
	return "http://" + ln.Addr().String(), stop
}

// TestShutdownFinishesRequests: a request under way when shutdown begins
// is answered; the server takes no new one; /healthz says 503 meanwhile.
func TestShutdownFinishesRequests(t *testing.T) {
	handling := make(chan struct{}, 1)
	base, stop := served(t, serveOptions{handling: func() {
		select {
		case handling <- struct{}{}:
		default:
		}
	}})
	body, send := io.Pipe()
	answered := make(chan *http.Response, 1)
	go func() {
		req, _ := http.NewRequest("POST", base+"/tickets", body)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			answered <- nil
			return
		}
		answered <- resp
	}()
	send.Write([]byte(`{"id": "T-1", `))
	<-handling // the API is reading the request
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	// Shutdown waits for the request: finish it.
	send.Write([]byte(`"impact": "high", "urgency": "high"}`))
	send.Close()
	resp := <-answered
	if resp == nil {
		t.Fatal("no answer")
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("the request under way: %s, want 201", resp.Status)
	}
	if err := <-stopped; err != nil {
		t.Errorf("serve: %v", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("a new request was taken after shutdown")
	}
}

// TestSlowBody: a client that sends its headers and then stalls its body
// is answered 408 once the read timeout passes, not held forever.
func TestSlowBody(t *testing.T) {
	base, _ := served(t, serveOptions{timeouts: timeouts{read: 300 * time.Millisecond}})
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /tickets HTTP/1.1\r\nHost: helpdesk\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\": ")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second)) // a bound for the test, far above the timeout
	started := time.Now()
	answer, err := io.ReadAll(conn)
	took := time.Since(started)
	if err != nil {
		t.Fatalf("after %v: %v (the server held the connection)", took, err)
	}
	if !strings.HasPrefix(string(answer), "HTTP/1.1 408") || !strings.Contains(string(answer), codeTimeout) {
		t.Errorf("answer after %v:\n%s", took, answer)
	}
}

// TestMetricsAndHealth: /metrics serves the engine's metrics for
// Prometheus, /healthz its health.
func TestMetricsAndHealth(t *testing.T) {
	base, _ := served(t, serveOptions{})
	post := func(path, body string, header ...string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(body))
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := post("/tickets", `{"id": "T-1", "impact": "high", "urgency": "high"}`); r.StatusCode != http.StatusCreated {
		t.Fatal(r.Status)
	}
	// A client retrying with the same Idempotency-Key applies the event once.
	for range 3 {
		if r := post("/tickets/T-1/events", `{"kind": "agent_replied"}`, "Idempotency-Key", "reply-1"); r.StatusCode != http.StatusOK {
			t.Fatal(r.Status)
		}
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`ladder_events_total{kind="opened"} 1`,
		`ladder_events_total{kind="agent_replied"} 1`,
		`ladder_tickets_open 1`,
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("/metrics lacks %q:\n%s", want, text)
		}
	}
	resp, err = http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var health map[string]string
	json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || health["status"] != "ok" {
		t.Errorf("healthz: %s %v", resp.Status, health)
	}
}

// downStore is a store that does not answer.
type downStore struct{ escalation.Store }

func (downStore) Due(context.Context, time.Time, int) ([]string, time.Time, error) {
	return nil, time.Time{}, errors.New("connection refused")
}

// TestHealthzStoreDown: /healthz answers 503 when the store fails.
func TestHealthzStoreDown(t *testing.T) {
	d := newDesk(t, downStore{escalation.NewMemoryStore()})
	code, body := d.do("GET", "/healthz", "")
	var p problem
	if err := json.Unmarshal([]byte(body), &p); err != nil || code != http.StatusServiceUnavailable || p.Code != codeUnavailable {
		t.Errorf("healthz with the store down: %d %s", code, body)
	}
}
