package matrix_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ladder-go/ladder/matrix"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// tiers is the four-tier hierarchy the tests use, lowest first.
var tiers = []string{"frontline", "specialists", "engineering", "escalation_manager"}

// docDocument returns the full JSON example of doc.go, so that the
// documented document is the one the tests parse.
func docDocument(t testing.TB) []byte {
	t.Helper()
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var doc []byte
	in := false
	for line := range strings.Lines(string(src)) {
		body, ok := strings.CutPrefix(line, "//\t")
		switch {
		case !in && ok && body == "{\n":
			in = true
		case in && !ok:
			return doc
		}
		if in {
			doc = append(doc, body...)
		}
	}
	t.Fatal("doc.go: no JSON document found")
	return nil
}

// classic returns the matrix of the documented JSON example.
func classic(t testing.TB) *matrix.Matrix {
	t.Helper()
	m, err := matrix.Parse(docDocument(t), tiers)
	if err != nil {
		t.Fatalf("the document of doc.go does not parse:\n%v", err)
	}
	return m
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
