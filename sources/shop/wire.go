package shop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// names lists, for each field of an answer, every name it may arrive under,
// the document's first. The document's samples are cut off or contradict
// themselves in places (the interface sample ends on a stray brace and
// omits url_formulaire and date_suppression; "code" is typed as a date; the
// prestation sample has a code its table does not list), so the other
// plausible names are read too. This is the one place they are listed.
type names map[string][]string

var (
	interfaceNames = names{
		"key":      {"cle_interface", "cle", "sa_key", "key"},
		"created":  {"date_creation", "date_installation", "creation_date", "created_at"},
		"status":   {"statut", "status"},
		"url":      {"url", "url_site", "site_url"},
		"admin":    {"url_administration", "url_admin", "admin_url"},
		"form":     {"url_formulaire", "form_url"},
		"deletion": {"date_suppression", "deletion_date"},
		"guid":     {"guid"}, // our own id, echoed by some versions: known, unused
	}
	orderedNames = names{
		"code":      {"code", "code_prestation"},
		"created":   {"date_creation", "date_commande", "creation_date", "created_at"},
		"cancelled": {"resilie", "resiliee", "cancelled", "canceled"},
		"cancelAt":  {"date_resiliation", "cancellation_date", "cancelled_at"},
		"ref":       {"reference_unique", "reference", "unique_reference"},
		"form":      {"url_formulaire", "form_url"},
	}
	prestationNames = names{
		"code":  {"code", "code_prestation"},
		"name":  {"nom", "name", "libelle"},
		"short": {"descriptif_court", "description_courte", "short_description"},
		"long":  {"descriptif_long", "description_longue", "long_description", "description"},
		"price": {"prix", "prix_ht", "price"},
		"assoc": {"prestations_associees", "prestations_liees", "associated_prestations", "associated"},
	}
	tokenNames = names{
		"token":   {"access_token", "token"},
		"type":    {"token_type"},
		"expires": {"expires_in", "expire_in", "expires"},
		"scope":   {"scope"}, // known, unused
	}
	saKeyNames         = names{"key": {"sa_key", "cle_interface", "cle", "key"}}
	deletionNames      = names{"at": {"date_suppression", "deletion_date"}}
	reactivationNames  = names{"at": {"date_reactivation", "reactivation_date"}}
	listItemCodeNames  = names{"code": {"code", "code_prestation"}}
	listItemKeyNames   = names{"key": {"cle_interface", "cle", "sa_key", "key"}}
	unknownFieldsNoted sync.Map // "route field" → struct{}: each unknown name is logged once per process
	unknownFieldsCount atomic.Int32
)

// maxUnknownFields bounds what unknownFieldsNoted keeps: an answer whose
// keys are data (ids as keys) must not grow it without end.
const maxUnknownFields = 256

// fields is one answer object, its values found under any of their names.
type fields map[string]json.RawMessage

// read picks the known fields out of an object and logs, once per process,
// the names it does not know (a new upstream version shows up in the log).
func (n names) read(route string, raw map[string]json.RawMessage) fields {
	out := make(fields, len(n))
	known := func(k string) bool {
		for _, ns := range n {
			for _, x := range ns {
				if x == k {
					return true
				}
			}
		}
		return false
	}
	for field, ns := range n {
		for _, x := range ns {
			if v, ok := raw[x]; ok && string(v) != "null" {
				out[field] = v
				break
			}
		}
	}
	for k := range raw {
		if !known(k) && unknownFieldsCount.Load() < maxUnknownFields {
			if _, seen := unknownFieldsNoted.LoadOrStore(route+" "+k, struct{}{}); !seen {
				unknownFieldsCount.Add(1)
				slog.Warn("shop answer carries a field the client does not know", "route", route, "field", truncate([]byte(k)))
			}
		}
	}
	return out
}

// object decodes a JSON object and reads its fields.
func (n names) object(route string, body []byte) (fields, error) {
	if !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		return nil, fmt.Errorf("expected a JSON object")
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, err
	}
	return n.read(route, raw), nil
}

// objects decodes an array of objects; a lone object is read as a list of one.
func (n names) objects(route string, body []byte) ([]fields, error) {
	t := bytes.TrimSpace(body)
	if bytes.HasPrefix(t, []byte("{")) {
		f, err := n.object(route, t)
		if err != nil {
			return nil, err
		}
		return []fields{f}, nil
	}
	var raws []map[string]json.RawMessage
	if err := json.Unmarshal(t, &raws); err != nil {
		return nil, err
	}
	out := make([]fields, 0, len(raws))
	for _, raw := range raws {
		if raw == nil {
			return nil, fmt.Errorf("null entry in a list")
		}
		out = append(out, n.read(route, raw))
	}
	return out, nil
}

// str reads a string; a number is taken as its decimal text.
func (f fields) str(name string) (string, error) {
	v, ok := f[name]
	if !ok {
		return "", nil
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s, nil
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String(), nil
	}
	return "", fmt.Errorf("%s %s is not a string", name, truncate(v))
}

// date reads "aaaa-mm-jj hh:mm:ss" (also with a T, or a bare date) in Paris
// time; "", null and "0000-00-00 ..." are the zero time.
func (f fields) date(name string) (time.Time, error) {
	s, err := f.str(name)
	if err != nil {
		return time.Time{}, err
	}
	return parseDate(s)
}

// dateLayouts are tried in turn: the document's first.
var dateLayouts = []string{DateLayout, "2006-01-02T15:04:05", "2006-01-02"}

func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return time.Time{}, nil
	}
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l, s, Paris); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(Paris), nil
	}
	return time.Time{}, fmt.Errorf("date %q is not aaaa-mm-jj hh:mm:ss", truncate([]byte(s)))
}

// boolean reads true/false, 0/1 and "0"/"1" (PHP APIs mix them).
func (f fields) boolean(name string) (bool, error) {
	v, ok := f[name]
	if !ok {
		return false, nil
	}
	switch strings.Trim(string(v), `"`) {
	case "true", "1":
		return true, nil
	case "false", "0", "":
		return false, nil
	}
	return false, fmt.Errorf("%s %s is not a boolean", name, truncate(v))
}

// number reads 490, 490.5, "490.50" and "490,50".
func (f fields) number(name string) (float64, bool, error) {
	v, ok := f[name]
	if !ok {
		return 0, false, nil
	}
	s := strings.ReplaceAll(strings.Trim(string(v), `"`), ",", ".")
	if s == "" {
		return 0, false, nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%s %s is not a number", name, truncate(v))
	}
	return x, true, nil
}

// status reads 1 or "1" and refuses undocumented values.
func (f fields) status(name string) (Status, bool, error) {
	v, ok := f[name]
	if !ok {
		return 0, false, nil
	}
	var s Status
	if err := s.UnmarshalJSON(v); err != nil {
		return 0, false, err
	}
	return s, true, nil
}

// codes reads a list of codes: an array of strings, of objects with a code,
// or one comma-separated string.
func (f fields) codes(route, name string) ([]string, error) {
	v, ok := f[name]
	if !ok {
		return nil, nil
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		var out []string
		for _, c := range strings.Split(s, ",") {
			if c = strings.TrimSpace(c); c != "" {
				out = append(out, c)
			}
		}
		return out, nil
	}
	return decodeList(route, v, listItemCodeNames)
}

// decodeList reads a list answer (GET /interfaces, /prestations, an
// interface's codes): strings as the document shows, or objects carrying
// the value under one of item's names.
func decodeList(route string, body []byte, item names) ([]string, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(body, &raws); err != nil {
		return nil, err
	}
	var field string
	for k := range item {
		field = k
	}
	out := make([]string, 0, len(raws))
	for _, r := range raws {
		var s string
		if json.Unmarshal(r, &s) == nil {
			if s == "" {
				return nil, fmt.Errorf("empty entry in a list")
			}
			out = append(out, s)
			continue
		}
		f, err := item.object(route, r)
		if err != nil {
			return nil, fmt.Errorf("list entry %s is neither a string nor an object", truncate(r))
		}
		if s, err = f.str(field); err != nil || s == "" {
			return nil, fmt.Errorf("list entry %s has no %s", truncate(r), field)
		}
		out = append(out, s)
	}
	return out, nil
}

// decodeInterface reads the body of GET /interfaces/{key}.
func decodeInterface(key string, body []byte) (*Interface, error) {
	f, err := interfaceNames.object("interface", body)
	if err != nil {
		return nil, err
	}
	st, ok, err := f.status("status")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("interface without statut")
	}
	itf := &Interface{Key: key, Status: st}
	var errs [6]error
	itf.CreatedAt, errs[0] = f.date("created")
	itf.URL, errs[1] = f.str("url")
	itf.AdminURL, errs[2] = f.str("admin")
	itf.FormURL, errs[3] = f.str("form")
	itf.DeletionDate, errs[4] = f.date("deletion")
	if got, err := f.str("key"); err == nil && got != "" && got != key {
		errs[5] = fmt.Errorf("asked for interface %s, got %s", truncate([]byte(key)), truncate([]byte(got)))
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return itf, nil
}

// decodeOrdered reads the body of GET /interfaces/{key}/prestations/{code}.
func decodeOrdered(body []byte) ([]OrderedPrestation, error) {
	list, err := orderedNames.objects("interface_prestation", body)
	if err != nil {
		return nil, err
	}
	out := make([]OrderedPrestation, 0, len(list))
	for _, f := range list {
		var o OrderedPrestation
		var errs [6]error
		o.Code, errs[0] = f.str("code")
		o.CreatedAt, errs[1] = f.date("created")
		o.Cancelled, errs[2] = f.boolean("cancelled")
		o.CancelledAt, errs[3] = f.date("cancelAt")
		o.Reference, errs[4] = f.str("ref")
		o.FormURL, errs[5] = f.str("form")
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
		if o.Code == "" {
			return nil, fmt.Errorf("prestation without code")
		}
		out = append(out, o)
	}
	return out, nil
}

// decodeLinks reads the answers of adding and cancelling prestations.
func decodeLinks(route string, body []byte) ([]PrestationLink, error) {
	list, err := orderedNames.objects(route, body)
	if err != nil {
		return nil, err
	}
	out := make([]PrestationLink, 0, len(list))
	for _, f := range list {
		var l PrestationLink
		var errs [3]error
		l.Code, errs[0] = f.str("code")
		l.Reference, errs[1] = f.str("ref")
		l.FormURL, errs[2] = f.str("form")
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
		if l.Code == "" && l.Reference == "" {
			return nil, fmt.Errorf("prestation link without code nor reference")
		}
		out = append(out, l)
	}
	return out, nil
}

// decodePrestation reads the body of GET /prestation/{code}; the code asked
// for stands in when the answer does not repeat it (its table omits it).
func decodePrestation(code string, body []byte) (*Prestation, error) {
	f, err := prestationNames.object("prestation", body)
	if err != nil {
		return nil, err
	}
	p := &Prestation{}
	var errs [6]error
	var price float64
	var priced bool
	p.Code, errs[0] = f.str("code")
	p.Name, errs[1] = f.str("name")
	p.ShortDescription, errs[2] = f.str("short")
	p.LongDescription, errs[3] = f.str("long")
	price, priced, errs[4] = f.number("price")
	if priced {
		p.Price = &price
	}
	p.Associated, errs[5] = f.codes("prestation", "assoc")
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if p.Code == "" {
		p.Code = code
	}
	return p, nil
}

// decodeDate reads a one-date answer (deletion, reactivation).
func decodeDate(route string, n names, body []byte) (time.Time, error) {
	f, err := n.object(route, body)
	if err != nil {
		return time.Time{}, err
	}
	return f.date("at")
}
