package mmp

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ParseBlacklistCSV reads the blacklist CSV export. Its columns are the JSON
// field names (blacklistColumns), matched by header name in any order
// and case; unknown columns are ignored and clientId is required. The
// separator is ';' or ',' (whichever the header uses), a UTF-8 BOM is
// skipped, booleans are 1/0, true/false or oui/non, and an empty cell or
// NULL is an empty value.
func ParseBlacklistCSV(r io.Reader) ([]BlacklistEntry, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	first, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	cr := csv.NewReader(br)
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("blacklist CSV: empty")
	}
	if err != nil {
		return nil, fmt.Errorf("blacklist CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		for _, name := range blacklistColumns {
			if strings.EqualFold(strings.TrimSpace(h), name) {
				if _, dup := col[name]; !dup {
					col[name] = i
				}
			}
		}
	}
	if _, ok := col["clientId"]; !ok {
		return nil, errors.New("blacklist CSV: no clientId column")
	}
	var out []BlacklistEntry
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("blacklist CSV: %w", err)
		}
		e, err := blacklistRecord(rec, col)
		if err != nil {
			line, _ := cr.FieldPos(0)
			return nil, fmt.Errorf("blacklist CSV line %d: %w", line, err)
		}
		out = append(out, e)
	}
}

func blacklistRecord(rec []string, col map[string]int) (BlacklistEntry, error) {
	var e BlacklistEntry
	var err error
	get := func(name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		v := rec[i]
		if v == "NULL" || v == "null" {
			return ""
		}
		return v
	}
	flag := func(name string) bool {
		v := strings.ToLower(strings.TrimSpace(get(name)))
		switch v {
		case "1", "true", "oui", "yes", "o", "y":
			return true
		case "", "0", "false", "non", "no", "n":
			return false
		}
		if err == nil {
			err = fmt.Errorf("%s: bad boolean %q", name, v)
		}
		return false
	}
	if id := strings.TrimSpace(get("clientId")); id != "" {
		if e.ClientID, err = strconv.Atoi(id); err != nil {
			return e, fmt.Errorf("clientId: bad number %q", id)
		}
	}
	e.FirstName = get("clientPrenom")
	e.LastName = get("clientNom")
	e.CompanyName = get("clientRaisonSociale")
	e.ReminderSMS = flag("relanceSms")
	e.ReminderEmail = flag("relanceEmail")
	e.SyncDmsPhone = flag("synchroDmsTelephone")
	e.SyncDmsEmail = flag("synchroDmsEmail")
	e.Privacy = get("viePrivee")
	e.Mobile = get("clientPortable")
	e.Email = get("clientEmail")
	e.MemberShortName = get("adherentNomCourt")
	e.PostalCode = get("clientCodePostal")
	e.MemberPoSCode = get("adherentCodePdv")
	return e, err
}
