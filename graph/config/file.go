package config

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Variables are the environment variables the gateway reads, the keys a
// configuration file may hold (TestVariablesListed checks the list against
// the code). OTEL_* are absent: the OpenTelemetry SDK reads them from the
// environment itself.
var Variables = []string{
	"SWITCHBOARD_ADDR", "SWITCHBOARD_SANDBOX", "SWITCHBOARD_PUBLIC_URL",
	"SWITCHBOARD_API_KEYS_FILE", "SWITCHBOARD_DATA_DIR", "REDIS_URL",
	"SWITCHBOARD_REDIS_PREFIX", "SWITCHBOARD_INTROSPECTION",
	"SWITCHBOARD_TRUSTED_DOCUMENTS", "SWITCHBOARD_CORS_ORIGINS",
	"SWITCHBOARD_RESPONSE_CACHE_TTL", "SWITCHBOARD_REQUEST_TIMEOUT",
	"SWITCHBOARD_IDEMPOTENCY_TTL", "SWITCHBOARD_METRICS_ADDR",
	"SWITCHBOARD_METRICS_KEY_NAMES", "SWITCHBOARD_CALL_RETENTION",
	"SWITCHBOARD_UPSTREAM_TIMEOUT", "SWITCHBOARD_BREAKER_FAILURES",
	"SWITCHBOARD_BREAKER_MIN_CALLS", "SWITCHBOARD_BREAKER_FAILURE_RATIO",
	"SWITCHBOARD_BREAKER_WINDOW", "SWITCHBOARD_BREAKER_COOLDOWN",
	"SWITCHBOARD_WS_INIT_TIMEOUT", "SWITCHBOARD_RATE_LIMIT",
	"SWITCHBOARD_RATE_BURST", "SWITCHBOARD_MAX_BODY_BYTES",
	"SWITCHBOARD_MAX_TOKENS", "SWITCHBOARD_MAX_UPLOADS", "SWITCHBOARD_MAX_BATCH",
	"SWITCHBOARD_HEAVY_BODY_BYTES", "SWITCHBOARD_HEAVY_RATE",
	"SWITCHBOARD_TRUSTED_PROXIES", "SWITCHBOARD_LOG_LEVEL", "SWITCHBOARD_ACCESS_LOG_SAMPLE",
	"SWITCHBOARD_LOG_FORMAT", "SWITCHBOARD_DEBUG_ADDR",
	"MMP_BASE_URL", "MMP_API_VERSION", "MMP_NETWORK", "MMP_CLIENT_ID",
	"MMP_CLIENT_SECRET", "MMP_USERNAME", "MMP_PASSWORD", "MMP_TIMEOUT",
	"SHOP_BASE_URL", "SHOP_CLIENT_ID", "SHOP_CLIENT_SECRET", "SHOP_TIMEOUT",
	"MSEM_AUTH_URL", "MSEM_SERVICES_URL", "MSEM_CLIENT_ID", "MSEM_CLIENT_SECRET",
	"MSEM_SCOPE", "MSEM_CHANNEL", "MSEM_TIMEOUT",
	"CLAVUS_URL", "CLAVUS_API_KEY", "CLAVUS_PHONE_COLUMN", "CLAVUS_NAME_COLUMN",
	"CLAVUS_COMMERCIAL_COLUMN", "CLAVUS_CREATED_COLUMN", "CLAVUS_TIMEOUT",
	"GRAVITEL_URL", "GRAVITEL_LOGIN", "GRAVITEL_PASSWORD", "GRAVITEL_CRM_CODE",
	"GRAVITEL_CRM_TOKEN", "GRAVITEL_ALLOWED_IPS", "GRAVITEL_TIMEOUT",
}

// Getenv is how the gateway reads its configuration: the environment,
// over the YAML file at path when path is not empty. A variable set in the
// environment wins even when empty, so an operator can unset a file's
// value for one run.
func Getenv(path string) (func(string) string, error) {
	if path == "" {
		return os.Getenv, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	file, err := ParseFile(data)
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	return Layered(os.LookupEnv, file), nil
}

// Layered reads lookup first, then file.
func Layered(lookup func(string) (string, bool), file map[string]string) func(string) string {
	return func(name string) string {
		if v, ok := lookup(name); ok {
			return v
		}
		return file[name]
	}
}

// ParseFile reads a configuration file: one YAML mapping whose keys are
// variable names and whose values are what the variable would hold. A
// list is joined with commas, true and false are 1 and 0, null leaves the
// variable unset. Errors name the key and line, never a value: the file
// holds secrets.
func ParseFile(data []byte) (map[string]string, error) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil {
			// The message alone: the library's formatting quotes the
			// surrounding lines.
			return nil, fmt.Errorf("line %d: invalid YAML: %s", ye.GetToken().Position.Line, ye.GetMessage())
		}
		return nil, errors.New("invalid YAML")
	}
	out := map[string]string{}
	if len(f.Docs) > 1 {
		return nil, errors.New("want one YAML document, found several")
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return out, nil
	}
	var pairs []*ast.MappingValueNode
	switch body := f.Docs[0].Body.(type) {
	case *ast.MappingNode:
		pairs = body.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{body}
	default:
		return nil, errors.New("want a mapping of variable names to values, like SWITCHBOARD_ADDR: \":8080\"")
	}
	for _, kv := range pairs {
		line := kv.Key.GetToken().Position.Line
		name := kv.Key.GetToken().Value
		switch {
		case strings.HasPrefix(name, "OTEL_"):
			return nil, fmt.Errorf("line %d: %s: the OpenTelemetry variables are read from the environment only", line, name)
		case !varName.MatchString(name):
			// Not echoed: an env-file line (NAME=value) lands here.
			return nil, fmt.Errorf("line %d: a key is not a variable name (the keys are: %s)", line, strings.Join(Variables, ", "))
		case !slices.Contains(Variables, name):
			hint := ""
			if slices.Contains(Variables, strings.ToUpper(name)) {
				hint = " (variable names are upper case)"
			}
			return nil, fmt.Errorf("line %d: unknown key %q%s; the keys are the variable names: %s", line, name, hint, strings.Join(Variables, ", "))
		}
		if _, null := kv.Value.(*ast.NullNode); null {
			continue
		}
		if seq, ok := kv.Value.(*ast.SequenceNode); ok {
			items := make([]string, len(seq.Values))
			for i, n := range seq.Values {
				if items[i], ok = scalar(n); !ok {
					return nil, fmt.Errorf("line %d: %s: want a list of plain values", line, name)
				}
			}
			out[name] = strings.Join(items, ",")
			continue
		}
		v, ok := scalar(kv.Value)
		if !ok {
			return nil, fmt.Errorf("line %d: %s: want a value or a list of values", line, name)
		}
		out[name] = v
	}
	return out, nil
}

var varName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// scalar is a value as the environment would hold it: numbers as written
// (0.50 stays 0.50), booleans as the 1 and 0 the switches read.
func scalar(n ast.Node) (string, bool) {
	switch n := n.(type) {
	case *ast.StringNode:
		return n.Value, true
	case *ast.LiteralNode:
		return n.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, true
	case *ast.BoolNode:
		if n.Value {
			return "1", true
		}
		return "0", true
	}
	return "", false
}
