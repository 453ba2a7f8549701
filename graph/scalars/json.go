package scalars

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/99designs/gqlgen/graphql"

	"switchboard/graph/errs"
)

// JSON is the schema's JSON scalar. Every JSON value the schema carries is
// an object, so an input that is not one is the caller's mistake:
// BAD_USER_INPUT, not the INTERNAL that gqlgen's plain map error became.
type JSON map[string]any

// MarshalGQL implements graphql.Marshaler.
func (j JSON) MarshalGQL(w io.Writer) { graphql.MarshalMap(j).MarshalGQL(w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (j *JSON) UnmarshalGQL(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return errs.BadInput("", "a JSON object is expected here, got %s", kindOf(v))
	}
	*j = m
	return nil
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case json.Number, int, int32, int64, float32, float64:
		return "a number"
	default:
		return fmt.Sprintf("a %T", v)
	}
}
