package clavus

import (
	"context"

	"switchboard/generated/clavusgql"
)

// Team is a Clavus team.
type Team struct {
	ID, Name, Description, Color string
}

// User is an active Clavus user; folders name their commercial by this ID.
type User struct {
	ID, FirstName, LastName, Email string
}

// Teams returns every team.
func (c *Client) Teams(ctx context.Context) ([]Team, error) {
	resp, err := clavusgql.GetTeams(ctx, c.gql)
	pe, failed := partial(err)
	if failed {
		return nil, err
	}
	out := make([]Team, 0, len(resp.ErpEnrAPI.GetTeams))
	for _, t := range resp.ErpEnrAPI.GetTeams {
		out = append(out, Team{ID: t.Id, Name: t.Name, Description: deref(t.Description), Color: deref(t.Color)})
	}
	return out, asError(pe)
}

// Users returns the active users of a team, or of every team when teamID is
// empty.
func (c *Client) Users(ctx context.Context, teamID string) ([]User, error) {
	var team *string
	if teamID != "" {
		team = &teamID
	}
	resp, err := clavusgql.GetUsers(ctx, c.gql, team)
	pe, failed := partial(err)
	if failed {
		return nil, err
	}
	out := make([]User, 0, len(resp.ErpEnrAPI.GetUsers))
	for _, u := range resp.ErpEnrAPI.GetUsers {
		out = append(out, User{ID: u.Id, FirstName: deref(u.FirstName), LastName: deref(u.LastName), Email: deref(u.Email)})
	}
	return out, asError(pe)
}
