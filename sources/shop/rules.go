package shop

import (
	"fmt"
	"strings"

	"switchboard/sources/upstream"
)

// The documented ordering rules ValidateCreate and ValidateAdd check, as
// the Rule of the *upstream.InputError they return.
const (
	RuleEmptyOrder   = "empty_order"           // no prestation code at all
	RuleUnknownCode  = "unknown_code"          // a code is not in the catalogue
	RuleOneSetup     = "one_setup"             // creation: exactly one IN-…-S
	RuleNoSetupOnAdd = "no_setup_on_add"       // addition: no IN-…-S
	RuleAssociation  = "associated_prestation" // an associated prestation is missing
)

// IsSetup reports whether code is a setup prestation (IN-…-S).
func IsSetup(code string) bool {
	return len(code) > len("IN--S") && strings.HasPrefix(code, "IN-") && strings.HasSuffix(code, "-S")
}

// ValidateCreate checks the prestation codes of an interface creation:
// every code is in the catalogue, there is exactly one setup prestation,
// and every prestation with associated prestations has one of them in the
// order.
func ValidateCreate(codes []string, catalogue []Prestation) error {
	idx, err := checkKnown(codes, catalogue)
	if err != nil {
		return err
	}
	var setups []string
	for _, c := range codes {
		if IsSetup(c) {
			setups = append(setups, c)
		}
	}
	if len(setups) != 1 {
		return &upstream.InputError{Field: "codes", Rule: RuleOneSetup,
			Message: fmt.Sprintf("a creation needs exactly one setup prestation (IN-XXX-S), got %d", len(setups))}
	}
	return checkAssociations(codes, nil, idx)
}

// ValidateAdd checks the prestation codes added to an existing interface:
// every code is in the catalogue, none is a setup prestation, and every
// prestation with associated prestations has one of them in the order or
// among active, the codes already active (not cancelled) on the interface.
// Callers may pass nil active first and fetch the interface's prestations
// only when that fails with RuleAssociation.
func ValidateAdd(codes, active []string, catalogue []Prestation) error {
	idx, err := checkKnown(codes, catalogue)
	if err != nil {
		return err
	}
	var setups []string
	for _, c := range codes {
		if IsSetup(c) {
			setups = append(setups, c)
		}
	}
	if len(setups) > 0 {
		return &upstream.InputError{Field: "codes", Rule: RuleNoSetupOnAdd,
			Message: "setup prestations cannot be added to an existing interface: " + strings.Join(setups, ", ")}
	}
	return checkAssociations(codes, active, idx)
}

func checkKnown(codes []string, catalogue []Prestation) (map[string]*Prestation, error) {
	if len(codes) == 0 {
		return nil, &upstream.InputError{Field: "codes", Rule: RuleEmptyOrder, Message: "the order has no prestation"}
	}
	idx := make(map[string]*Prestation, len(catalogue))
	for i := range catalogue {
		idx[catalogue[i].Code] = &catalogue[i]
	}
	var unknown []string
	for _, c := range codes {
		if idx[c] == nil {
			unknown = append(unknown, c)
		}
	}
	if len(unknown) > 0 {
		return nil, &upstream.InputError{Field: "codes", Rule: RuleUnknownCode,
			Message: "unknown prestation code: " + strings.Join(unknown, ", ")}
	}
	return idx, nil
}

func checkAssociations(codes, active []string, idx map[string]*Prestation) error {
	in := make(map[string]bool, len(codes)+len(active))
	for _, c := range codes {
		in[c] = true
	}
	for _, c := range active {
		in[c] = true
	}
	for _, c := range codes {
		assoc := idx[c].Associated
		if len(assoc) == 0 {
			continue
		}
		ok := false
		for _, a := range assoc {
			ok = ok || in[a]
		}
		if !ok {
			return &upstream.InputError{Field: "codes", Rule: RuleAssociation,
				Message: fmt.Sprintf("%s cannot be ordered alone: the order (or, on addition, the interface) needs one of %s", c, strings.Join(assoc, ", "))}
		}
	}
	return nil
}
