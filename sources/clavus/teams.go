package clavus

import (
	"context"
	"encoding/json"
	"sync"

	"switchboard/sources/clavus/clavusgql"
	"switchboard/sources/upstream"
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

// opGetUsersOfTeams names the aliased getUsers request in metrics and errors.
const opGetUsersOfTeams = "GetUsersOfTeams"

// TeamUsers is one team's users, or why they are missing.
type TeamUsers struct {
	Users []User
	Err   error
}

// UsersOfTeams returns the users of each team in ONE request: getUsers
// once per team under an alias (see aliasedCall); the answers decode into
// genqlient's GetUsers types. When Clavus refuses the aliased document
// itself, or one team's error nulls every answer, each team is asked on
// its own with GetUsers.
func (c *Client) UsersOfTeams(ctx context.Context, teamIDs []string) (map[string]TeamUsers, error) {
	out := make(map[string]TeamUsers, len(teamIDs))
	if len(teamIDs) == 0 {
		return out, nil
	}
	vars := make([]map[string]any, len(teamIDs))
	for i, id := range teamIDs {
		vars[i] = map[string]any{"teamId": id}
	}
	answers, pe, err := c.aliased(ctx, aliasedCall{op: opGetUsersOfTeams, base: clavusgql.GetUsers_Operation, prefix: "t", vars: vars})
	if err != nil {
		if askEachAlone(err) {
			var mu sync.Mutex
			eachAlone(len(teamIDs), func(i int) {
				users, err := c.Users(ctx, teamIDs[i])
				mu.Lock()
				out[teamIDs[i]] = TeamUsers{Users: users, Err: err}
				mu.Unlock()
			})
			return out, nil
		}
		return nil, err
	}
	for i, id := range teamIDs {
		var list []clavusgql.GetUsersErpEnrAPIGetUsersUser
		if answers[i].data == nil {
			out[id] = TeamUsers{Err: c.itemError(opGetUsersOfTeams, answers[i], pe)}
			continue
		}
		if err := json.Unmarshal(answers[i].data, &list); err != nil {
			out[id] = TeamUsers{Err: upstream.NewError(Source, opGetUsersOfTeams, upstream.KindInvalidResponse, 0, "unexpected data shape", nil, err)}
			continue
		}
		users := make([]User, 0, len(list))
		for _, u := range list {
			users = append(users, User{ID: u.Id, FirstName: deref(u.FirstName), LastName: deref(u.LastName), Email: deref(u.Email)})
		}
		out[id] = TeamUsers{Users: users}
	}
	return out, nil
}
