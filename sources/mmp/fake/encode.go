package fake

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Reading is how the fake names and types the fields the seed cuts off.
type Reading int

const (
	// DocumentReading follows the seed's visible names (French client*
	// fields, vehicleMileage in historiques, campagneList beside data) and
	// its token endpoint takes a JSON or a form body.
	DocumentReading Reading = iota
	// OtherReading is the other plausible reading of the cut-off samples:
	// English names (clientCivility, clientLastName, clientFirstName,
	// clientAddress, clientPostalCode, clientCity, clientMobile,
	// clientPhone, clientCompanyName, vehicleMake, vehiclePlate,
	// operationMileage, date, campaignLabel, reminderMail, adherentId,
	// adherentCodePdv, adherentNomCourt, articleLabel, vehicleVIN in
	// vehicleInformations), some ids and mileages sent as strings,
	// campagneList and a paging block inside data, and a token endpoint
	// that takes JSON only, as the seed shows it.
	OtherReading
)

// encode writes v as MMP JSON in the given reading (see the tags in
// types.go). Values that are not the fake's tagged structs (maps, slices,
// json.Marshalers) are written as encoding/json would, walking into them.
func encode(v any, r Reading) ([]byte, error) {
	var buf bytes.Buffer
	if err := encodeValue(&buf, reflect.ValueOf(v), r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var marshalerType = reflect.TypeFor[json.Marshaler]()

func encodeValue(buf *bytes.Buffer, v reflect.Value, r Reading) error {
	if !v.IsValid() {
		buf.WriteString("null")
		return nil
	}
	if v.Type().Implements(marshalerType) {
		b, err := json.Marshal(v.Interface())
		buf.Write(b)
		return err
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			buf.WriteString("null")
			return nil
		}
		return encodeValue(buf, v.Elem(), r)
	case reflect.Slice:
		if v.IsNil() {
			buf.WriteString("null")
			return nil
		}
		buf.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encodeValue(buf, v.Index(i), r); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
		return nil
	case reflect.Map:
		// Maps are envelopes: their keys are the document's in any reading.
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			kb, _ := json.Marshal(k.String())
			buf.Write(kb)
			buf.WriteByte(':')
			if err := encodeValue(buf, v.MapIndex(k), r); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
		return nil
	case reflect.Struct:
		return encodeStruct(buf, v, r)
	}
	b, err := json.Marshal(v.Interface())
	buf.Write(b)
	return err
}

func encodeStruct(buf *bytes.Buffer, v reflect.Value, r Reading) error {
	buf.WriteByte('{')
	first := true
	var err error
	var fields func(v reflect.Value)
	fields = func(v reflect.Value) {
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			doc := f.Tag.Get("doc")
			if doc == "" {
				if f.Anonymous {
					fields(v.Field(i))
				}
				continue
			}
			name, opts, _ := strings.Cut(doc, ",")
			asString := false
			if alt := f.Tag.Get("alt"); alt != "" && r == OtherReading {
				var altOpts string
				name, altOpts, _ = strings.Cut(alt, ",")
				asString = altOpts == "string"
			}
			if !first {
				buf.WriteByte(',')
			}
			first = false
			kb, _ := json.Marshal(name)
			buf.Write(kb)
			buf.WriteByte(':')
			fv := v.Field(i)
			switch {
			case opts == "null0" && fv.IsZero():
				buf.WriteString("null")
			case asString && fv.CanInt():
				buf.WriteString(strconv.Quote(strconv.FormatInt(fv.Int(), 10)))
			default:
				if e := encodeValue(buf, fv, r); e != nil && err == nil {
					err = e
				}
			}
		}
	}
	fields(v)
	buf.WriteByte('}')
	return err
}
