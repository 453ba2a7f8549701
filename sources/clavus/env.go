package clavus

import "switchboard/sources/internal/env"

// ConfigFromEnv reads CLAVUS_URL and CLAVUS_API_KEY through getenv, and the
// optional column overrides: nil when neither is set, an error naming the
// unset one when only one is.
func ConfigFromEnv(getenv func(string) string) (*Config, error) {
	c := &Config{}
	ok, err := env.Group(getenv, env.Var{Name: "CLAVUS_URL", Dst: &c.URL}, env.Var{Name: "CLAVUS_API_KEY", Dst: &c.APIKey})
	if !ok {
		return nil, err
	}
	c.Columns = Columns{Phone: getenv("CLAVUS_PHONE_COLUMN"), Name: getenv("CLAVUS_NAME_COLUMN"),
		Commercial: getenv("CLAVUS_COMMERCIAL_COLUMN"), Created: getenv("CLAVUS_CREATED_COLUMN")}
	return c, nil
}
