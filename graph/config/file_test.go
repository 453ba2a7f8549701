package config

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestParseFile(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       map[string]string
		err        string // part of the error; "" for none
	}{
		{name: "empty", yaml: "", want: map[string]string{}},
		{name: "comments only", yaml: "# nothing yet\n", want: map[string]string{}},
		{name: "strings, numbers and switches", yaml: `
SWITCHBOARD_ADDR: ":9090"
SWITCHBOARD_SANDBOX: true
SWITCHBOARD_INTROSPECTION: false
SWITCHBOARD_RATE_LIMIT: 20
SWITCHBOARD_BREAKER_FAILURE_RATIO: 0.50
SWITCHBOARD_CALL_RETENTION: 400d
MMP_PASSWORD: 'it''s: secret'
`, want: map[string]string{
			"SWITCHBOARD_ADDR": ":9090", "SWITCHBOARD_SANDBOX": "1", "SWITCHBOARD_INTROSPECTION": "0",
			"SWITCHBOARD_RATE_LIMIT": "20", "SWITCHBOARD_BREAKER_FAILURE_RATIO": "0.50",
			"SWITCHBOARD_CALL_RETENTION": "400d", "MMP_PASSWORD": "it's: secret",
		}},
		{name: "single key", yaml: "REDIS_URL: redis://r:6379/2\n", want: map[string]string{"REDIS_URL": "redis://r:6379/2"}},
		{name: "lists join with commas", yaml: "SWITCHBOARD_CORS_ORIGINS:\n  - https://a.example\n  - https://b.example\nGRAVITEL_ALLOWED_IPS: [10.0.0.1, 10.1.0.0/16]\n",
			want: map[string]string{"SWITCHBOARD_CORS_ORIGINS": "https://a.example,https://b.example", "GRAVITEL_ALLOWED_IPS": "10.0.0.1,10.1.0.0/16"}},
		{name: "null leaves unset", yaml: "SWITCHBOARD_PUBLIC_URL: ~\nSWITCHBOARD_DATA_DIR:\n", want: map[string]string{}},
		{name: "block scalar", yaml: "SWITCHBOARD_PUBLIC_URL: >-\n  https://gw.example\n", want: map[string]string{"SWITCHBOARD_PUBLIC_URL": "https://gw.example"}},
		{name: "unknown key named", yaml: "SWITCHBOARD_ADDR: :1\nSWITCHBORD_SANDBOX: 1\n", err: `line 2: unknown key "SWITCHBORD_SANDBOX"`},
		{name: "lower case is unknown", yaml: "switchboard_addr: :1\n", err: `unknown key "switchboard_addr" (variable names are upper case)`},
		{name: "OTEL from the environment only", yaml: "OTEL_EXPORTER_OTLP_ENDPOINT: http://c:4318\n", err: "environment only"},
		{name: "the config file is no key", yaml: "SWITCHBOARD_CONFIG: other.yaml\n", err: `unknown key "SWITCHBOARD_CONFIG"`},
		{name: "twice", yaml: "SWITCHBOARD_ADDR: :1\nSWITCHBOARD_ADDR: :2\n", err: `line 2: invalid YAML: mapping key "SWITCHBOARD_ADDR" already defined`},
		{name: "nested form refused", yaml: "MMP:\n  PASSWORD: hunter2\n", err: `unknown key "MMP"`},
		{name: "mapping value refused", yaml: "MMP_PASSWORD: {a: hunter2}\n", err: "MMP_PASSWORD: want a value or a list of values"},
		{name: "list of lists refused", yaml: "SWITCHBOARD_CORS_ORIGINS: [[hunter2]]\n", err: "want a list of plain values"},
		{name: "alias refused", yaml: "MMP_PASSWORD: &p hunter2\nGRAVITEL_PASSWORD: *p\n", err: "want a value"},
		{name: "not a mapping", yaml: "- hunter2\n", err: "want a mapping"},
		{name: "env file line", yaml: "MMP_PASSWORD=hunter2\n", err: "want a mapping"},
		{name: "env file line among keys", yaml: "SWITCHBOARD_ADDR: :1\nMMP_PASSWORD=hunter2\n", err: "line 2: invalid YAML"},
		{name: "key not a name", yaml: "hunter2=x: 1\n", err: "line 1: a key is not a variable name"},
		{name: "unterminated quote", yaml: "MMP_PASSWORD: \"hunter2\n", err: "line 1: invalid YAML"},
		{name: "two documents", yaml: "SWITCHBOARD_ADDR: :1\n---\nSWITCHBOARD_ADDR: :2\n", err: "one YAML document"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseFile([]byte(tc.yaml))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.err)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Fatalf("error echoes a value: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// The environment wins over the file, even set empty; the result feeds
// Parse like os.Getenv does.
func TestLayered(t *testing.T) {
	file, err := ParseFile([]byte("SWITCHBOARD_ADDR: \":9090\"\nSWITCHBOARD_SANDBOX: true\nSWITCHBOARD_RATE_LIMIT: 7\nSWITCHBOARD_CORS_ORIGINS: [https://a.example/]\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		env      map[string]string
		addr     string
		sandbox  bool
		rateLim  int
		origins  []string
		redisURL string
	}{
		{name: "file alone", addr: ":9090", sandbox: true, rateLim: 7, origins: []string{"https://a.example"}},
		{name: "environment wins", env: map[string]string{"SWITCHBOARD_ADDR": ":7070", "REDIS_URL": "redis://r:6379/1"},
			addr: ":7070", sandbox: true, rateLim: 7, origins: []string{"https://a.example"}, redisURL: "redis://r:6379/1"},
		{name: "set empty unsets", env: map[string]string{"SWITCHBOARD_SANDBOX": "", "SWITCHBOARD_RATE_LIMIT": "", "SWITCHBOARD_CORS_ORIGINS": ""},
			addr: ":9090", rateLim: 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			getenv := Layered(lookup, file)
			getenv = withKeys(getenv)
			c, err := Parse(getenv)
			if err != nil {
				t.Fatal(err)
			}
			if c.Addr != tc.addr || c.Sandbox != tc.sandbox || c.RateLimit != tc.rateLim || !slices.Equal(c.CORSOrigins, tc.origins) || c.RedisURL != tc.redisURL {
				t.Fatalf("got addr %q sandbox %v rate %d origins %v redis %q", c.Addr, c.Sandbox, c.RateLimit, c.CORSOrigins, c.RedisURL)
			}
		})
	}
}

// withKeys keeps Parse from needing a keys file outside sandbox mode.
func withKeys(getenv func(string) string) func(string) string {
	return func(k string) string {
		if k == "SWITCHBOARD_API_KEYS_FILE" {
			return "keys.txt"
		}
		return getenv(k)
	}
}

func TestGetenv(t *testing.T) {
	t.Run("no file is the environment", func(t *testing.T) {
		t.Setenv("SWITCHBOARD_ADDR", ":1234")
		getenv, err := Getenv("")
		if err != nil || getenv("SWITCHBOARD_ADDR") != ":1234" {
			t.Fatalf("got %q, %v", getenv("SWITCHBOARD_ADDR"), err)
		}
	})
	t.Run("file under the environment", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "switchboard.yaml")
		if err := os.WriteFile(path, []byte("SWITCHBOARD_ADDR: :9090\nSWITCHBOARD_DATA_DIR: /var/lib/sb\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("SWITCHBOARD_DATA_DIR", "/tmp/sb")
		getenv, err := Getenv(path)
		if err != nil {
			t.Fatal(err)
		}
		if getenv("SWITCHBOARD_ADDR") != ":9090" || getenv("SWITCHBOARD_DATA_DIR") != "/tmp/sb" {
			t.Fatalf("addr %q, data dir %q", getenv("SWITCHBOARD_ADDR"), getenv("SWITCHBOARD_DATA_DIR"))
		}
	})
	t.Run("missing file", func(t *testing.T) {
		if _, err := Getenv(filepath.Join(t.TempDir(), "absent.yaml")); err == nil {
			t.Fatal("want an error")
		}
	})
	t.Run("the example file is valid", func(t *testing.T) {
		getenv, err := Getenv("../../deploy/switchboard.example.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(getenv); err != nil {
			t.Fatal(err)
		}
	})
}

// TestVariablesListed keeps Variables, the file's keys, equal to what the
// code reads: every string literal of the repository's code that is a
// variable name (SWITCHBOARD_*, REDIS_URL, a source's prefix), and every
// name Parse asks for (some are built, like MMP_TIMEOUT).
func TestVariablesListed(t *testing.T) {
	read := map[string]bool{}
	_, _ = Parse(func(k string) string { read[k] = true; return "" }, "mmp", "shop", "msem", "clavus", "gravitel")
	name := regexp.MustCompile(`^(SWITCHBOARD|MMP|SHOP|MSEM|CLAVUS|GRAVITEL)_[A-Z0-9_]+$|^REDIS_URL$`)
	fset := token.NewFileSet()
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "generated" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "../.." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.Contains(path, "redistest") ||
			path == filepath.Join("..", "..", "graph", "config", "file.go") { // the list itself

			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && name.MatchString(s) {
					read[s] = true
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	delete(read, "SWITCHBOARD_CONFIG") // names the file; no key of it
	for k := range read {
		if !slices.Contains(Variables, k) {
			t.Errorf("%s is read but missing from config.Variables", k)
		}
	}
	for _, k := range Variables {
		if !read[k] {
			t.Errorf("config.Variables lists %s, which nothing reads", k)
		}
	}
}
