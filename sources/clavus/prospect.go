package clavus

import (
	"context"
	"math"
	"net/mail"
	"regexp"
	"strconv"
	"strings"

	"switchboard/sources/clavus/clavusgql"
	"switchboard/sources/phone"
)

// ProspectType is a prospect's legal kind.
type ProspectType string

// Prospect types.
const (
	ProspectMoral    ProspectType = "MORAL"    // company (personne morale)
	ProspectPhysical ProspectType = "PHYSICAL" // private person (personne physique)
)

// GPS is a position as two decimal strings, e.g. {"43.1167", "1.6103"}.
type GPS struct {
	Lat, Lng string
}

// ProspectInput creates (ID empty) or updates (ID set) a prospect. Nil
// fields are not sent: on update they keep their value.
type ProspectInput struct {
	ID             string
	FirstName      *string
	LastName       *string
	Address        *string
	PostalCode     *string
	Email          *string
	Phone          *string // any common form; sent as French national digits
	Type           *ProspectType
	SIREN          *string // 9 digits, spaces allowed
	PowerKWc       *float64
	PriceHT        *string // decimal string, e.g. "23.00"
	GPS            *GPS
	CommercialNote *string
}

// Prospect is a prospect as Clavus returns it ("" or nil when unset).
type Prospect struct {
	ID             string
	FirstName      string
	LastName       string
	Address        string
	PostalCode     string
	Email          string
	Phone          string // E.164 digits without "+" when valid, else as stored
	Type           ProspectType
	SIREN          string
	PowerKWc       *float64
	PriceHT        string
	GPS            *GPS
	CommercialNote string
}

var (
	decimalRE = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?$`)
	sirenRE   = regexp.MustCompile(`^[0-9]{9}$`)
)

// wirePhone is the form the Clavus guide shows ("0666666666"): national
// digits for French numbers, "+E.164" for others.
func wirePhone(raw string) (string, bool) {
	p, err := phone.Normalize(raw)
	if err != nil {
		return "", false
	}
	return phone.National(p), true
}

func checkGPS(g GPS) error {
	for _, c := range []struct {
		field, v string
		bound    float64
	}{{"gps.lat", g.Lat, 90}, {"gps.lng", g.Lng, 180}} {
		v := strings.TrimSpace(c.v)
		if !decimalRE.MatchString(v) {
			return badInput(opUpsertProspect, c.field, "must be a decimal number")
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.Abs(f) > c.bound {
			return badInput(opUpsertProspect, c.field, "must be between -%g and %g", c.bound, c.bound)
		}
	}
	return nil
}

// upsertVars are the mutation's arguments; nil ones are omitted.
type upsertVars struct {
	ID, FirstName, LastName, Address, PostalCode, Email, Phone *string
	Type                                                       *clavusgql.ProspectType
	SIREN                                                      *string
	PowerKWc                                                   *float64
	PriceHT                                                    *string
	GPS                                                        []string
	CommercialNote                                             *string
}

func (v *upsertVars) empty() bool {
	return v.FirstName == nil && v.LastName == nil && v.Address == nil && v.PostalCode == nil &&
		v.Email == nil && v.Phone == nil && v.Type == nil && v.SIREN == nil && v.PowerKWc == nil &&
		v.PriceHT == nil && v.GPS == nil && v.CommercialNote == nil
}

// vars validates in and builds the mutation's variables.
func (in ProspectInput) vars() (*upsertVars, error) {
	v := &upsertVars{
		FirstName: in.FirstName, LastName: in.LastName, Address: in.Address,
		PostalCode: in.PostalCode, CommercialNote: in.CommercialNote,
	}
	if in.ID != "" {
		id := strings.TrimSpace(in.ID)
		if id == "" {
			return nil, badInput(opUpsertProspect, "id", "blank id")
		}
		v.ID = &id
	}
	if in.Email != nil {
		e := strings.TrimSpace(*in.Email)
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
			return nil, badInput(opUpsertProspect, "email", "not a valid e-mail address")
		}
		v.Email = &e
	}
	if in.Phone != nil {
		p, ok := wirePhone(*in.Phone)
		if !ok {
			return nil, badInput(opUpsertProspect, "phone", "not a valid phone number")
		}
		v.Phone = &p
	}
	if in.Type != nil {
		switch *in.Type {
		case ProspectMoral, ProspectPhysical:
			t := clavusgql.ProspectType(*in.Type)
			v.Type = &t
		default:
			return nil, badInput(opUpsertProspect, "type", "must be MORAL or PHYSICAL")
		}
	}
	if in.SIREN != nil {
		s := strings.ReplaceAll(*in.SIREN, " ", "")
		if !sirenRE.MatchString(s) {
			return nil, badInput(opUpsertProspect, "siren", "must be 9 digits")
		}
		v.SIREN = &s
	}
	if in.PowerKWc != nil {
		if p := *in.PowerKWc; math.IsNaN(p) || math.IsInf(p, 0) || p < 0 {
			return nil, badInput(opUpsertProspect, "powerKWc", "must be a non-negative number")
		}
		v.PowerKWc = in.PowerKWc
	}
	if in.PriceHT != nil {
		p := strings.TrimSpace(*in.PriceHT)
		if !decimalRE.MatchString(p) {
			return nil, badInput(opUpsertProspect, "priceHT", "must be a decimal number such as 23.00")
		}
		v.PriceHT = &p
	}
	if in.GPS != nil {
		if err := checkGPS(*in.GPS); err != nil {
			return nil, err
		}
		v.GPS = []string{strings.TrimSpace(in.GPS.Lat), strings.TrimSpace(in.GPS.Lng)}
	}
	if v.empty() {
		return nil, badInput(opUpsertProspect, "input", "no field to write")
	}
	return v, nil
}

// UpsertProspect creates a prospect (in.ID empty) or updates the fields set
// in in. Updating a converted prospect fails with KindRejected and
// errors.Is(err, ErrProspectConverted).
func (c *Client) UpsertProspect(ctx context.Context, in ProspectInput) (*Prospect, error) {
	v, err := in.vars()
	if err != nil {
		return nil, err
	}
	resp, err := clavusgql.UpsertProspect(ctx, c.gql, v.ID, v.FirstName, v.LastName, v.Address, v.PostalCode,
		v.Email, v.Phone, v.Type, v.SIREN, v.PowerKWc, v.PriceHT, v.GPS, v.CommercialNote)
	pe, failed := partial(err)
	if failed {
		return nil, err
	}
	p := resp.UpsertProspect
	out := &Prospect{
		ID: p.Id, FirstName: deref(p.FirstName), LastName: deref(p.LastName), Address: deref(p.Address),
		PostalCode: deref(p.PostalCode), Email: deref(p.Email), SIREN: deref(p.Siren), PowerKWc: p.PuissanceKc,
		PriceHT: deref(p.PrixHT), CommercialNote: deref(p.CommercialNote), Phone: deref(p.Phone),
	}
	if n, err := phone.Normalize(out.Phone); err == nil {
		out.Phone = n
	}
	if p.Type != nil {
		out.Type = ProspectType(*p.Type)
	}
	if len(p.Gps) == 2 {
		out.GPS = &GPS{Lat: p.Gps[0], Lng: p.Gps[1]}
	}
	return out, asError(pe)
}
