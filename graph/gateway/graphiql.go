package gateway

import (
	"encoding/json"
	"html/template"
	"net/http"
)

// Example is one operation preloaded as a GraphiQL tab.
type Example struct {
	Name      string `json:"-"`
	Query     string `json:"query"`
	Variables string `json:"variables,omitempty"`
	Headers   string `json:"headers,omitempty"`
}

var graphiqlPage = template.Must(template.New("graphiql").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Switchboard — GraphiQL</title>
<style>body{margin:0;height:100vh}#graphiql{height:100vh}</style>
<link rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css">
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="https://unpkg.com/react@18.3.1/umd/react.production.min.js" crossorigin></script>
<script src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js" crossorigin></script>
<script src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js" crossorigin></script>
<script>
  const tabs = {{.Tabs}};
  const headers = {{.Headers}};
  const url = new URL("/graphql", location.href).toString();
  const fetcher = GraphiQL.createFetcher({
    url: url,
    subscriptionUrl: url.replace(/^http/, "ws"),
  });
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: tabs,
      defaultHeaders: headers,
      shouldPersistHeaders: true,
    })
  );
</script>
</body>
</html>
`))

// graphiqlHandler serves GraphiQL with one tab per example and the demo key
// (sandbox only) filled in the headers pane.
func graphiqlHandler(examples []Example, demoKey string) http.Handler {
	headers := ""
	if demoKey != "" {
		b, _ := json.MarshalIndent(map[string]string{"Authorization": "Bearer " + demoKey}, "", "  ")
		headers = string(b)
	}
	tabs := make([]Example, len(examples))
	for i, e := range examples {
		e.Query = "# " + e.Name + "\n" + e.Query
		tabs[i] = e
	}
	data := struct {
		Tabs    []Example
		Headers string
	}{tabs, headers}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := graphiqlPage.Execute(w, data); err != nil {
			http.Error(w, "template error", http.StatusInternalServerError)
		}
	})
}
