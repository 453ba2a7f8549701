package shop

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"switchboard/sources/internal/clock"
)

// DateLayout is the API's date format ("aaaa-mm-jj hh:mm:ss").
const DateLayout = "2006-01-02 15:04:05"

// Paris is the zone the API's dates are read in.
var Paris = clock.Paris

// Status is the state of an interface.
type Status int

// Statuses as the API numbers them.
const (
	StatusDeleted  Status = 0 // deleted for good
	StatusActive   Status = 1 // billed, site and administration reachable
	StatusDisabled Status = 2 // deletion requested; can still be reactivated
	StatusPending  Status = 3 // creation requested, installation in progress
)

// String is the name the gateway's enum uses: ACTIVE, DELETED, DISABLED, PENDING.
func (s Status) String() string {
	switch s {
	case StatusDeleted:
		return "DELETED"
	case StatusActive:
		return "ACTIVE"
	case StatusDisabled:
		return "DISABLED"
	case StatusPending:
		return "PENDING"
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// Valid reports whether s is one of the four documented statuses.
func (s Status) Valid() bool { return s >= StatusDeleted && s <= StatusPending }

// UnmarshalJSON accepts 1 or "1" and refuses undocumented values.
func (s *Status) UnmarshalJSON(b []byte) error {
	n, err := strconv.Atoi(strings.Trim(string(b), `"`))
	if err != nil || !Status(n).Valid() {
		return fmt.Errorf("unknown interface status %s", truncate(b))
	}
	*s = Status(n)
	return nil
}

// Interface is one e-commerce site (GET /interfaces/{key}).
type Interface struct {
	Key       string    // the key asked for (the API does not repeat it)
	CreatedAt time.Time // date_creation
	Status    Status    // statut
	URL       string    // url: home page, when installed
	AdminURL  string    // url_administration
	FormURL   string    // url_formulaire: project form, while pending
	// DeletionDate (date_suppression) is when a requested deletion becomes
	// final; zero when no deletion is scheduled.
	DeletionDate time.Time
}

// Reactivation is the answer to POST /interfaces/{key}.
type Reactivation struct {
	At time.Time // date_reactivation: when the interface was reactivated
}

// Customer is the client object of a creation request.
type Customer struct {
	LastName   string `json:"nom,omitempty"`
	FirstName  string `json:"prenom,omitempty"`
	Company    string `json:"societe,omitempty"`
	Address    string `json:"adresse,omitempty"`
	PostalCode string `json:"code_postal,omitempty"`
	City       string `json:"ville,omitempty"`
	Country    string `json:"pays,omitempty"`
	Phone      string `json:"telephone,omitempty"`
	Email      string `json:"email,omitempty"`
	RCS        string `json:"rcs,omitempty"`
	APE        string `json:"ape,omitempty"`
}

// CreateInterfaceRequest is the body of POST /interfaces.
type CreateInterfaceRequest struct {
	GUID        string   `json:"guid"`        // our own identifier for the interface
	Prestations []string `json:"prestations"` // codes; exactly one setup IN-XXX-S
	Client      Customer `json:"client"`
	Subdomain   string   `json:"sous_domaine,omitempty"`
}

// OrderedPrestation is one occurrence of a prestation on an interface (GET
// /interfaces/{key}/prestations/{code}); a code may be ordered several times.
type OrderedPrestation struct {
	Code        string    // code
	CreatedAt   time.Time // date_creation: when it was ordered
	Cancelled   bool      // resilie
	CancelledAt time.Time // date_resiliation; zero when not cancelled
	Reference   string    // reference_unique of this occurrence
	FormURL     string    // url_formulaire, for the e-commerce module addition
}

// PrestationLink is a prestation added to or cancelled on an interface.
type PrestationLink struct {
	Code      string `json:"code"`
	Reference string `json:"reference_unique"`
	FormURL   string `json:"url_formulaire,omitempty"` // only on addition, when available
}

// Prestation is a catalogue entry (GET /prestation/{code}).
type Prestation struct {
	Code             string
	Name             string   // nom
	ShortDescription string   // descriptif_court
	LongDescription  string   // descriptif_long (HTML)
	Price            *float64 // prix, catalogue price excluding VAT; nil when not given
	Associated       []string // prestations_associees: one of them must be in the same order
}

// truncate keeps error messages short when quoting upstream bytes.
func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
