package gravitel

import "switchboard/sources/internal/env"

// ConfigFromEnv reads GRAVITEL_* through getenv (WebhookURL is the
// gateway's to set): nil when none is set, an error naming the unset ones
// when only some are.
func ConfigFromEnv(getenv func(string) string) (*Config, error) {
	c := &Config{}
	ok, err := env.Group(getenv, env.Var{Name: "GRAVITEL_URL", Dst: &c.URL},
		env.Var{Name: "GRAVITEL_LOGIN", Dst: &c.Login}, env.Var{Name: "GRAVITEL_PASSWORD", Dst: &c.Password},
		env.Var{Name: "GRAVITEL_CRM_CODE", Dst: &c.CRMCode}, env.Var{Name: "GRAVITEL_CRM_TOKEN", Dst: &c.CRMToken})
	if !ok {
		return nil, err
	}
	return c, nil
}
