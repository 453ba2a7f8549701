package msem

import (
	"strings"

	"switchboard/sources/internal/env"
)

// ConfigFromEnv reads MSEM_* through getenv (MSEM_SCOPE optional, "all" by
// default): nil when none is set, an error naming the unset ones when only
// some are.
func ConfigFromEnv(getenv func(string) string) (*Config, error) {
	c := &Config{}
	ok, err := env.Group(getenv, env.Var{Name: "MSEM_AUTH_URL", Dst: &c.AuthURL},
		env.Var{Name: "MSEM_SERVICES_URL", Dst: &c.ServicesURL}, env.Var{Name: "MSEM_CLIENT_ID", Dst: &c.ClientID},
		env.Var{Name: "MSEM_CLIENT_SECRET", Dst: &c.ClientSecret}, env.Var{Name: "MSEM_CHANNEL", Dst: &c.Channel})
	if !ok {
		return nil, err
	}
	c.Scope = strings.TrimSpace(getenv("MSEM_SCOPE"))
	if c.Scope == "" {
		c.Scope = "all"
	}
	return c, nil
}
