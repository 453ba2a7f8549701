package app

import (
	"strings"
	"testing"

	"switchboard/sources/clavus"
	"switchboard/sources/msem"
)

// TestParseConfig: each source reads its own variables, all or none, and
// every partly configured source is named at once.
func TestParseConfig(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		check   func(*Config) bool
		wantErr []string
	}{
		{"none", nil, func(c *Config) bool { return len(c.Sources) == 0 }, nil},
		{"every partial source named", map[string]string{"SHOP_BASE_URL": "http://x", "GRAVITEL_LOGIN": "l"}, nil,
			[]string{"SHOP_CLIENT_ID", "GRAVITEL_URL"}},
		{"whole sources", map[string]string{"CLAVUS_URL": "http://c", "CLAVUS_API_KEY": "k", "CLAVUS_NAME_COLUMN": "Nom",
			"MSEM_AUTH_URL": "http://a", "MSEM_SERVICES_URL": "http://s", "MSEM_CLIENT_ID": "i", "MSEM_CLIENT_SECRET": "s", "MSEM_CHANNEL": "LBM"},
			func(c *Config) bool {
				cl, _ := c.Sources[clavus.Source].(*clavus.Config)
				m, _ := c.Sources[msem.Source].(*msem.Config)
				return len(c.Sources) == 2 && cl != nil && cl.URL == "http://c" && cl.Columns.Name == "Nom" &&
					m != nil && m.Scope == "all" && m.Channel == "LBM" && c.Configured(msem.Source) && !c.Configured("mmp")
			}, nil},
		{"PBX without a public URL", map[string]string{"GRAVITEL_URL": "http://p", "GRAVITEL_LOGIN": "l", "GRAVITEL_PASSWORD": "p",
			"GRAVITEL_CRM_CODE": "c", "GRAVITEL_CRM_TOKEN": "t"}, nil, []string{"SWITCHBOARD_PUBLIC_URL"}},
		{"a source's timeout", map[string]string{"MMP_TIMEOUT": "5"}, nil, []string{"MMP_TIMEOUT"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := ParseConfig(func(k string) string { return c.env[k] })
			if c.wantErr != nil {
				for _, want := range c.wantErr {
					if err == nil || !strings.Contains(err.Error(), want) {
						t.Fatalf("err %v, want one naming %s", err, want)
					}
				}
				return
			}
			if err != nil || !c.check(cfg) {
				t.Fatalf("err %v, config %+v", err, cfg)
			}
		})
	}
}

// TestSourceNames: the table names each source once.
func TestSourceNames(t *testing.T) {
	seen := map[string]bool{}
	for _, n := range SourceNames() {
		if seen[n] || n == "" {
			t.Fatalf("source %q listed twice or unnamed", n)
		}
		seen[n] = true
	}
	if len(seen) != 5 {
		t.Fatalf("sources %v", SourceNames())
	}
}
