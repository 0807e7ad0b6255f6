package main

import (
	"embed"
	"io/fs"
	"net/http"
)

// The dashboard is one static page with plain JavaScript, no build step:
// the tickets at risk with live countdowns, the week's report charts, and
// a ticket's timeline and plan on click. It reads the API like any client.
//
//go:embed dashboard
var dashboardFiles embed.FS

// dashboard serves the page at / and its assets under /dashboard/.
func dashboard(mux *http.ServeMux) {
	files, _ := fs.Sub(dashboardFiles, "dashboard") // the directory is embedded: no error
	assets := http.FileServerFS(files)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFileFS(w, r, files, "index.html")
	})
	mux.Handle("GET /dashboard/", http.StripPrefix("/dashboard", assets))
}
