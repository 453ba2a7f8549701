package clavus

import (
	"bytes"
	"context"
	"errors"
	"strconv"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"switchboard/generated/clavusgql"
	"switchboard/sources/internal/upstream"
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
// once per team under an alias. genqlient generates one function per
// static operation and cannot express a variable number of aliases, so the
// document is derived from genqlient's own GetUsers operation (same
// selection, same $teamId type) and sent through the same graphql.Client,
// which adapts it to the live schema like any other; the answers decode
// into genqlient's GetUsers types. When Clavus refuses the aliased document
// itself, each team is asked on its own with GetUsers.
func (c *Client) UsersOfTeams(ctx context.Context, teamIDs []string) (map[string]TeamUsers, error) {
	out := make(map[string]TeamUsers, len(teamIDs))
	if len(teamIDs) == 0 {
		return out, nil
	}
	query, err := aliasedUsers(len(teamIDs))
	if err != nil {
		return nil, err
	}
	vars := make(map[string]string, len(teamIDs))
	for i, id := range teamIDs {
		vars["t"+strconv.Itoa(i)] = id
	}
	var data struct {
		ErpEnrAPI map[string]*[]clavusgql.GetUsersErpEnrAPIGetUsersUser `json:"erpEnrAPI"`
	}
	resp := &graphql.Response{Data: &data}
	err = c.gql.MakeRequest(ctx, &graphql.Request{OpName: opGetUsersOfTeams, Query: query, Variables: vars}, resp)
	pe, failed := partial(err)
	if failed {
		if ue, ok := upstream.AsError(err); ok && ue.Kind == upstream.KindRejected {
			for _, id := range teamIDs {
				users, err := c.Users(ctx, id)
				out[id] = TeamUsers{Users: users, Err: err}
			}
			return out, nil
		}
		return nil, err
	}
	// Errors name their team by the alias at the second step of the path.
	byAlias := map[string]gqlerror.List{}
	for _, e := range resp.Errors {
		if e != nil && len(e.Path) > 1 {
			if alias, ok := e.Path[1].(ast.PathName); ok {
				byAlias[string(alias)] = append(byAlias[string(alias)], e)
			}
		}
	}
	for i, id := range teamIDs {
		alias := "t" + strconv.Itoa(i)
		list := data.ErpEnrAPI[alias]
		if list == nil {
			errs := byAlias[alias]
			if len(errs) == 0 && pe != nil {
				out[id] = TeamUsers{Err: pe.Err}
				continue
			}
			if len(errs) == 0 {
				errs = gqlerror.List{{Message: "no answer for this team"}}
			}
			out[id] = TeamUsers{Err: graphQLError(opGetUsersOfTeams, 0, errs, nil)}
			continue
		}
		users := make([]User, 0, len(*list))
		for _, u := range *list {
			users = append(users, User{ID: u.Id, FirstName: deref(u.FirstName), LastName: deref(u.LastName), Email: deref(u.Email)})
		}
		out[id] = TeamUsers{Users: users}
	}
	return out, nil
}

// aliasedUsers writes GetUsers n times under aliases t0..t(n-1), with
// variables $t0..$t(n-1) declared like GetUsers's $teamId.
func aliasedUsers(n int) (string, error) {
	doc, err := parser.ParseQuery(&ast.Source{Input: clavusgql.GetUsers_Operation})
	if err != nil {
		return "", err
	}
	op := doc.Operations[0]
	teamVar := op.VariableDefinitions.ForName("teamId")
	api, ok := op.SelectionSet[0].(*ast.Field)
	if teamVar == nil || !ok || len(api.SelectionSet) != 1 {
		return "", errors.New("clavus: GetUsers is not shaped as expected")
	}
	getUsers := api.SelectionSet[0].(*ast.Field)
	out := &ast.OperationDefinition{Operation: ast.Query, Name: opGetUsersOfTeams}
	field := &ast.Field{Name: api.Name}
	for i := range n {
		name := "t" + strconv.Itoa(i)
		out.VariableDefinitions = append(out.VariableDefinitions, &ast.VariableDefinition{Variable: name, Type: teamVar.Type})
		field.SelectionSet = append(field.SelectionSet, &ast.Field{
			Alias: name, Name: getUsers.Name, SelectionSet: getUsers.SelectionSet,
			Arguments: ast.ArgumentList{{Name: "teamId", Value: &ast.Value{Kind: ast.Variable, Raw: name}}},
		})
	}
	out.SelectionSet = ast.SelectionSet{field}
	var b bytes.Buffer
	formatter.NewFormatter(&b).FormatQueryDocument(&ast.QueryDocument{Operations: ast.OperationList{out}})
	return b.String(), nil
}
