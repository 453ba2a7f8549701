package shop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris must load on machines without a zoneinfo database
)

// DateLayout is the API's date format ("aaaa-mm-jj hh:mm:ss").
const DateLayout = "2006-01-02 15:04:05"

// Paris is the zone the API's dates are read in.
var Paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

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
	Price            float64  // prix, catalogue price excluding VAT
	Associated       []string // prestations_associees: one of them must be in the same order
}

// wireDate is a date in DateLayout, Paris time.
type wireDate struct{ time.Time }

func (d *wireDate) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		d.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date %s is not a string", truncate(b))
	}
	t, err := parseDate(s)
	if err != nil {
		return err
	}
	d.Time = t
	return nil
}

func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(DateLayout, s, Paris)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q is not aaaa-mm-jj hh:mm:ss", truncate([]byte(s)))
	}
	return t, nil
}

// flexBool reads true/false, 0/1 and "0"/"1" (PHP APIs mix them).
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	switch strings.Trim(string(b), `"`) {
	case "true", "1":
		*f = true
	case "false", "0", "", "null":
		*f = false
	default:
		return fmt.Errorf("%s is not a boolean", truncate(b))
	}
	return nil
}

// flexFloat reads 490, 490.5 and "490.50".
type flexFloat float64

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("price %s is not a number", truncate(b))
	}
	*f = flexFloat(v)
	return nil
}

type wireInterface struct {
	DateCreation      wireDate `json:"date_creation"`
	Statut            *Status  `json:"statut"`
	URL               string   `json:"url"`
	URLAdministration string   `json:"url_administration"`
	URLFormulaire     string   `json:"url_formulaire"`
	DateSuppression   wireDate `json:"date_suppression"`
}

type wireOrdered struct {
	Code            string   `json:"code"`
	DateCreation    wireDate `json:"date_creation"`
	Resilie         flexBool `json:"resilie"`
	DateResiliation wireDate `json:"date_resiliation"`
	ReferenceUnique string   `json:"reference_unique"`
	URLFormulaire   string   `json:"url_formulaire"`
}

type wirePrestation struct {
	Code                 string    `json:"code"`
	Nom                  string    `json:"nom"`
	DescriptifCourt      string    `json:"descriptif_court"`
	DescriptifLong       string    `json:"descriptif_long"`
	Prix                 flexFloat `json:"prix"`
	PrestationsAssociees []string  `json:"prestations_associees"`
}

// decodeInterface reads the body of GET /interfaces/{key}.
func decodeInterface(key string, body []byte) (*Interface, error) {
	var w wireInterface
	if err := strictObject(body, &w); err != nil {
		return nil, err
	}
	if w.Statut == nil {
		return nil, fmt.Errorf("interface without statut")
	}
	return &Interface{
		Key: key, CreatedAt: w.DateCreation.Time, Status: *w.Statut,
		URL: w.URL, AdminURL: w.URLAdministration, FormURL: w.URLFormulaire,
		DeletionDate: w.DateSuppression.Time,
	}, nil
}

// decodeOrdered reads the body of GET /interfaces/{key}/prestations/{code}.
func decodeOrdered(body []byte) ([]OrderedPrestation, error) {
	var ws []wireOrdered
	if err := json.Unmarshal(body, &ws); err != nil {
		return nil, err
	}
	out := make([]OrderedPrestation, 0, len(ws))
	for _, w := range ws {
		if w.Code == "" {
			return nil, fmt.Errorf("prestation without code")
		}
		out = append(out, OrderedPrestation{
			Code: w.Code, CreatedAt: w.DateCreation.Time, Cancelled: bool(w.Resilie),
			CancelledAt: w.DateResiliation.Time, Reference: w.ReferenceUnique, FormURL: w.URLFormulaire,
		})
	}
	return out, nil
}

// decodePrestation reads the body of GET /prestation/{code}.
func decodePrestation(code string, body []byte) (*Prestation, error) {
	var w wirePrestation
	if err := strictObject(body, &w); err != nil {
		return nil, err
	}
	if w.Code == "" {
		w.Code = code
	}
	return &Prestation{
		Code: w.Code, Name: w.Nom, ShortDescription: w.DescriptifCourt,
		LongDescription: w.DescriptifLong, Price: float64(w.Prix), Associated: w.PrestationsAssociees,
	}, nil
}

// strictObject decodes a JSON object, refusing null and other JSON values.
func strictObject(body []byte, v any) error {
	if !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		return fmt.Errorf("expected a JSON object")
	}
	return json.Unmarshal(body, v)
}

// truncate keeps error messages short when quoting upstream bytes.
func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
