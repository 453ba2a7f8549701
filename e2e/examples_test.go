package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"

	"switchboard/app"
	"switchboard/graph/gateway"
)

// readmeSections are the README sections whose GraphQL blocks are the
// cookbook: each of their operations must be a GraphiQL tab.
var readmeSections = []string{"## Example query", "## Query cookbook"}

var graphqlBlock = regexp.MustCompile("(?s)```graphql\n(.*?)```")

// readmeOperations returns the operations of the README's cookbook
// sections, by section.
func readmeOperations(t *testing.T) map[string][]*ast.OperationDefinition {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]*ast.OperationDefinition{}
	for _, heading := range readmeSections {
		_, section, ok := strings.Cut(string(readme), "\n"+heading+"\n")
		if !ok {
			t.Fatalf("README has no %q section", heading)
		}
		if end := strings.Index(section, "\n## "); end >= 0 {
			section = section[:end]
		}
		for _, m := range graphqlBlock.FindAllStringSubmatch(section, -1) {
			doc, err := parser.ParseQuery(&ast.Source{Name: heading, Input: m[1]})
			if err != nil {
				t.Fatalf("README %s: %v in\n%s", heading, err, m[1])
			}
			out[heading] = append(out[heading], doc.Operations...)
		}
		if len(out[heading]) == 0 {
			t.Fatalf("README %s holds no GraphQL operation", heading)
		}
	}
	return out
}

// formatOp prints op alone, without its name when anonymous is set, so
// that layout and spacing do not matter when comparing operations.
func formatOp(op *ast.OperationDefinition, anonymous bool) string {
	o := *op
	if anonymous {
		o.Name = ""
	}
	var b strings.Builder
	formatter.NewFormatter(&b).FormatQueryDocument(&ast.QueryDocument{Operations: ast.OperationList{&o}})
	return b.String()
}

// TestCookbookIsTabs: every operation of the README's cookbook is a
// GraphiQL tab (an anonymous one matches a tab of the same body), and
// every tab is one well-formed operation.
func TestCookbookIsTabs(t *testing.T) {
	tabs := map[string]string{} // formatted operation → tab name
	anonymous := map[string]string{}
	for _, ex := range app.Examples {
		doc, err := parser.ParseQuery(&ast.Source{Name: ex.Name, Input: ex.Query})
		if err != nil || len(doc.Operations) != 1 || doc.Operations[0].Name == "" {
			t.Fatalf("tab %q is not one named operation: %v", ex.Name, err)
		}
		tabs[formatOp(doc.Operations[0], false)] = ex.Name
		anonymous[formatOp(doc.Operations[0], true)] = ex.Name
	}
	for heading, ops := range readmeOperations(t) {
		for _, op := range ops {
			want, in := formatOp(op, false), tabs
			if op.Name == "" {
				in = anonymous
			}
			if _, ok := in[want]; !ok {
				t.Errorf("README %s: this operation is no GraphiQL tab (app/examples.go):\n%s", heading, want)
			}
		}
	}
}

// TestFreshSandboxAnswersEveryExample starts the sandbox as `make run`
// does (the real wiring with its default settings, a fresh data
// directory, the PBX's scenarios running) and checks that every GraphiQL
// tab, hence every README example (TestCookbookIsTabs), answers data with
// no error within 60 s of start: queries are polled, subscriptions must
// deliver one event, then mutations run once. "Data" means every root field is
// non-null and every list in the answer is non-empty somewhere (a
// customer's calls, a call's recordings, …): an empty call log would not
// show what the example is for.
func TestFreshSandboxAnswersEveryExample(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the sandbox PBX's first calls")
	}
	const bound = 60 * time.Second
	start := time.Now()
	// An empty value takes the default: the response cache on, as in `make run`.
	g := startGateway(t, map[string]string{"SWITCHBOARD_RESPONSE_CACHE_TTL": ""})
	g.gw.Start(t.Context())
	ctx, cancel := context.WithDeadline(t.Context(), start.Add(bound))
	defer cancel()

	type subscription struct {
		name  string
		event chan sseResult
	}
	var subs []subscription
	var queries, mutations []gateway.Example
	for _, ex := range app.Examples {
		switch op := strings.TrimSpace(ex.Query); {
		case strings.HasPrefix(op, "subscription"):
			s := subscription{ex.Name, make(chan sseResult, 1)}
			go func() { s.event <- firstSSEEvent(ctx, g, ex.Query) }()
			subs = append(subs, s)
		case strings.HasPrefix(op, "mutation"):
			mutations = append(mutations, ex)
		default:
			queries = append(queries, ex)
		}
	}
	run := func(ex gateway.Example) string {
		var vars map[string]any
		if ex.Variables != "" {
			if err := json.Unmarshal([]byte(ex.Variables), &vars); err != nil {
				t.Fatalf("%s: variables: %v", ex.Name, err)
			}
		}
		return emptiness(g.query(ex.Query, vars))
	}

	// Queries first, so that what they show comes from the sandbox alone
	// (the mutations ring and write too).
	last := map[string]string{}
	for len(queries) > 0 && ctx.Err() == nil {
		var still []gateway.Example
		for _, ex := range queries {
			if problem := run(ex); problem != "" {
				last[ex.Name] = problem
				still = append(still, ex)
			}
		}
		queries = still
		if len(queries) > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
	for _, ex := range queries {
		t.Errorf("%s: not within %v: %s", ex.Name, bound, last[ex.Name])
	}
	for _, s := range subs {
		res := <-s.event
		if res.err != nil {
			t.Errorf("%s: no event within %v: %v", s.name, bound, res.err)
			continue
		}
		if problem := emptiness(res.resp); problem != "" {
			t.Errorf("%s: %s", s.name, problem)
		}
	}
	// A mutation's side effect happens once: each runs once, not polled.
	for _, ex := range mutations {
		if problem := run(ex); problem != "" {
			t.Errorf("%s: %s", ex.Name, problem)
		}
	}
	if !t.Failed() {
		t.Logf("every example answered data %v after start", time.Since(start).Round(100*time.Millisecond))
	}
}

// emptiness says what keeps r from showing data: errors, a null root
// field, or a list empty wherever it occurs; "" when nothing does.
func emptiness(r gqlResponse) string {
	if len(r.Errors) > 0 {
		b, _ := json.Marshal(r.Errors)
		return "errors " + string(b)
	}
	if len(r.Data) == 0 {
		return "no data"
	}
	filled := map[string]bool{} // list path → non-empty somewhere
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(path+"."+k, x)
			}
		case []any:
			filled[path] = filled[path] || len(v) > 0
			for _, x := range v {
				walk(path, x)
			}
		}
	}
	var problems []string
	for k, v := range r.Data {
		if v == nil {
			problems = append(problems, k+" is null")
		}
		walk(k, v)
	}
	for path, ok := range filled {
		if !ok {
			problems = append(problems, path+" is empty")
		}
	}
	slices.Sort(problems)
	return strings.Join(problems, ", ")
}

type sseResult struct {
	resp gqlResponse
	err  error
}

// firstSSEEvent subscribes over SSE and returns the first event, or why
// none came before ctx ended.
func firstSSEEvent(ctx context.Context, g *testGateway, query string) sseResult {
	body, _ := json.Marshal(map[string]any{"query": query})
	req, err := http.NewRequestWithContext(ctx, "POST", g.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return sseResult{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+g.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return sseResult{err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return sseResult{err: fmt.Errorf("status %d", resp.StatusCode)}
	}
	sc := bufio.NewScanner(resp.Body)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "next":
			var r gqlResponse
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &r); err != nil {
				return sseResult{err: fmt.Errorf("SSE data %q: %w", line, err)}
			}
			return sseResult{resp: r}
		}
	}
	return sseResult{err: fmt.Errorf("stream ended: %v", sc.Err())}
}
