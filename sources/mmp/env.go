package mmp

import "switchboard/sources/internal/env"

// ConfigFromEnv reads MMP_* through getenv: nil when none is set, an error
// naming the unset ones when only some are.
func ConfigFromEnv(getenv func(string) string) (*Config, error) {
	c := &Config{}
	ok, err := env.Group(getenv,
		env.Var{Name: "MMP_BASE_URL", Dst: &c.BaseURL}, env.Var{Name: "MMP_API_VERSION", Dst: &c.Version},
		env.Var{Name: "MMP_NETWORK", Dst: &c.Network}, env.Var{Name: "MMP_CLIENT_ID", Dst: &c.ClientID},
		env.Var{Name: "MMP_CLIENT_SECRET", Dst: &c.ClientSecret}, env.Var{Name: "MMP_USERNAME", Dst: &c.Username},
		env.Var{Name: "MMP_PASSWORD", Dst: &c.Password})
	if !ok {
		return nil, err
	}
	return c, nil
}
