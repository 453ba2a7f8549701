package resolvers

import "switchboard/graph/gateway"

// Examples are the operations GraphiQL opens as tabs, one or more per source.
var Examples = []gateway.Example{
	{Name: "Which sources are wired", Query: "{\n  sources { name configured sandbox }\n}\n"},
}
