package shop

import "switchboard/sources/internal/env"

// ConfigFromEnv reads SHOP_* through getenv: nil when none is set, an error
// naming the unset ones when only some are.
func ConfigFromEnv(getenv func(string) string) (*Config, error) {
	c := &Config{}
	ok, err := env.Group(getenv, env.Var{Name: "SHOP_BASE_URL", Dst: &c.BaseURL},
		env.Var{Name: "SHOP_CLIENT_ID", Dst: &c.ClientID}, env.Var{Name: "SHOP_CLIENT_SECRET", Dst: &c.ClientSecret})
	if !ok {
		return nil, err
	}
	return c, nil
}
