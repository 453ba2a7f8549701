// Package model holds the unified GraphQL types: here the hand-written ones
// that need more than their schema fields (hidden keys that lazy field
// resolvers use), which gqlgen binds by name (autobind in gqlgen.yml), and
// beside them the generated ones (models_gen.go).
package model

import (
	"fmt"
	"io"
	"strconv"

	"switchboard/sources/mmp"
)

// Vehicle is a vehicle whose lists are resolved lazily. Bundle records the
// plan made from the query's selection: true when two or more lists are
// asked for, so they come from one vision360 call.
type Vehicle struct {
	Plate  string
	Bundle bool
	// Vision360 is the vehicle's vision360 when its parent resolver read it
	// (a bundled query): its fields answer from it without a loader each.
	Vision360 *mmp.Vision360
}

// CustomerSource is the upstream a customer record comes from.
type CustomerSource string

// The customer sources of the schema's CustomerSource enum.
const (
	CustomerSourceMMP    CustomerSource = "MMP"
	CustomerSourceMseM   CustomerSource = "MSEM"
	CustomerSourceClavus CustomerSource = "CLAVUS"
)

// MarshalGQL implements graphql.Marshaler.
func (s CustomerSource) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(s))) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *CustomerSource) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok {
		return fmt.Errorf("CustomerSource must be a string")
	}
	switch CustomerSource(str) {
	case CustomerSourceMMP, CustomerSourceMseM, CustomerSourceClavus:
		*s = CustomerSource(str)
		return nil
	}
	return fmt.Errorf("%q is not a CustomerSource", str)
}

// Customer is one customer whatever its source. Plates are the vehicles it
// was found through (MMP), for Customer.vehicles.
type Customer struct {
	ID         string
	Source     CustomerSource
	Civility   *string
	FirstName  *string
	LastName   *string
	Email      *string
	Phone      *string
	Mobile     *string
	Address    *string
	PostalCode *string
	City       *string
	Plates     []string
	// DmsID and CompanyName are MMP's clientDmsId and clientRaisonSociale.
	DmsID       *string
	CompanyName *string
	// MMP and MMPImport are the MMP records the customer was read from
	// (client, import-client), for its consents, point of sale and
	// imported vehicle; nil for other sources.
	MMP       *mmp.Customer
	MMPImport *mmp.RawCustomer
}
