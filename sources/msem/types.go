package msem

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/mail"
	"strconv"
	"strings"

	"switchboard/sources/upstream"
)

// OperationType is the kind of a notified operation.
type OperationType string

// The operation types MseM supports.
const (
	CreateCustomer OperationType = "CreateCustomer"
	UpdateCustomer OperationType = "UpdateCustomer"
	CreateOrder    OperationType = "CreateOrder"
	UpdateOrder    OperationType = "UpdateOrder"
)

// IsCustomer reports whether the type carries a Customer.
func (t OperationType) IsCustomer() bool { return t == CreateCustomer || t == UpdateCustomer }

// IsOrder reports whether the type carries an Order.
func (t OperationType) IsOrder() bool { return t == CreateOrder || t == UpdateOrder }

// Customer is the value of CreateCustomer and UpdateCustomer operations.
type Customer struct {
	ID        int64  `json:"id"`
	Lastname  string `json:"lastname"`
	Firstname string `json:"firstname"`
	Email     string `json:"email"`
}

// UnmarshalJSON reads a customer whose id is a number or a numeric string
// (the seed shows a number; an echo may quote it).
func (c *Customer) UnmarshalJSON(b []byte) error {
	var w struct {
		ID        json.RawMessage `json:"id"`
		Lastname  string          `json:"lastname"`
		Firstname string          `json:"firstname"`
		Email     string          `json:"email"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*c = Customer{Lastname: w.Lastname, Firstname: w.Firstname, Email: w.Email}
	if id := strings.Trim(string(w.ID), `"`); id != "" && id != "null" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return fmt.Errorf("customer id %s is not an integer", w.ID)
		}
		c.ID = n
	}
	return nil
}

// Order is the value of CreateOrder and UpdateOrder operations. Its shape is
// undocumented: id and customerId, plus free attributes sent in the same
// JSON object. Validate refuses attributes named id or customerId, which
// would collide with the order's own fields.
// Decoded numbers in Attributes are json.Number.
type Order struct {
	ID         string
	CustomerID int64
	Attributes map[string]any
}

// MarshalJSON flattens Attributes next to id and customerId.
func (o Order) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(o.Attributes)+2)
	maps.Copy(m, o.Attributes)
	m["id"] = o.ID
	if o.CustomerID != 0 {
		m["customerId"] = o.CustomerID
	} else {
		delete(m, "customerId")
	}
	return json.Marshal(m)
}

// UnmarshalJSON accepts ids as strings or numbers.
func (o *Order) UnmarshalJSON(b []byte) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return err
	}
	if m == nil {
		return fmt.Errorf("order is not an object")
	}
	*o = Order{}
	switch v := m["id"].(type) {
	case string:
		o.ID = v
	case json.Number:
		o.ID = v.String()
	case nil:
	default:
		return fmt.Errorf("order id is neither a string nor a number")
	}
	switch v := m["customerId"].(type) {
	case json.Number:
		n, err := v.Int64()
		if err != nil {
			return fmt.Errorf("order customerId %s is not an integer", v)
		}
		o.CustomerID = n
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("order customerId %q is not an integer", v)
		}
		o.CustomerID = n
	case nil:
	default:
		return fmt.Errorf("order customerId is not an integer")
	}
	delete(m, "id")
	delete(m, "customerId")
	if len(m) > 0 {
		o.Attributes = m
	}
	return nil
}

// Operation is one entry of a notification: {"type": ..., "value": ...}.
// Customer is set for customer types, Order for order types; Raw keeps the
// value of a type this package does not know (only seen when decoding).
type Operation struct {
	Type     OperationType
	Customer *Customer
	Order    *Order
	Raw      json.RawMessage
}

// NewCreateCustomer, NewUpdateCustomer, NewCreateOrder and NewUpdateOrder
// build typed operations.
func NewCreateCustomer(c Customer) Operation { return Operation{Type: CreateCustomer, Customer: &c} }

// NewUpdateCustomer builds an UpdateCustomer operation.
func NewUpdateCustomer(c Customer) Operation { return Operation{Type: UpdateCustomer, Customer: &c} }

// NewCreateOrder builds a CreateOrder operation.
func NewCreateOrder(o Order) Operation { return Operation{Type: CreateOrder, Order: &o} }

// NewUpdateOrder builds an UpdateOrder operation.
func NewUpdateOrder(o Order) Operation { return Operation{Type: UpdateOrder, Order: &o} }

type wireOperation struct {
	Type  OperationType   `json:"type"`
	Value json.RawMessage `json:"value"`
}

// MarshalJSON writes {"type", "value"}.
func (op Operation) MarshalJSON() ([]byte, error) {
	var v any
	switch {
	case op.Customer != nil:
		v = op.Customer
	case op.Order != nil:
		v = op.Order
	case op.Raw != nil:
		v = op.Raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return json.Marshal(wireOperation{op.Type, b})
}

// UnmarshalJSON reads {"type", "value"}, typing the value by the type.
func (op *Operation) UnmarshalJSON(b []byte) error {
	var w wireOperation
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*op = Operation{Type: w.Type}
	switch {
	case w.Type.IsCustomer():
		if err := strictObject(w.Value, &op.Customer); err != nil {
			return fmt.Errorf("%s value: %w", w.Type, err)
		}
	case w.Type.IsOrder():
		if err := strictObject(w.Value, &op.Order); err != nil {
			return fmt.Errorf("%s value: %w", w.Type, err)
		}
	default:
		op.Raw = w.Value
	}
	return nil
}

func strictObject(b []byte, v any) error {
	if !bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
		return fmt.Errorf("expected a JSON object")
	}
	return json.Unmarshal(b, v)
}

// Notification is the payload pushed to MseM and echoed back.
type Notification struct {
	Channel    string      `json:"channel"`
	Operations []Operation `json:"operations"`
	// IdempotencyKey is the key Notify sent (not part of the JSON).
	IdempotencyKey string `json:"-"`
}

// Validate checks operations against the supported types and the required
// customer and order fields. A refusal is an *upstream.InputError whose
// Field is the JSON path of the offending field, e.g.
// "operations[1].value.email".
func Validate(ops []Operation) error {
	if len(ops) == 0 {
		return &upstream.InputError{Field: "operations", Message: "at least one operation is required"}
	}
	for i, op := range ops {
		bad := func(field, msg string) error {
			path := fmt.Sprintf("operations[%d]", i)
			if field != "" {
				path += "." + field
			}
			return &upstream.InputError{Field: path, Message: msg}
		}
		switch {
		case op.Type.IsCustomer():
			c := op.Customer
			switch {
			case c == nil || op.Order != nil:
				return bad("value", string(op.Type)+" needs a customer value")
			case c.ID <= 0:
				return bad("value.id", "a positive customer id is required")
			case strings.TrimSpace(c.Lastname) == "":
				return bad("value.lastname", "is required")
			case strings.TrimSpace(c.Firstname) == "":
				return bad("value.firstname", "is required")
			case !validEmail(c.Email):
				return bad("value.email", "is not a valid e-mail address")
			}
		case op.Type.IsOrder():
			o := op.Order
			switch {
			case o == nil || op.Customer != nil:
				return bad("value", string(op.Type)+" needs an order value")
			case strings.TrimSpace(o.ID) == "":
				return bad("value.id", "an order id is required")
			case op.Type == CreateOrder && o.CustomerID <= 0:
				return bad("value.customerId", "a positive customer id is required")
			}
			for _, k := range []string{"id", "customerId"} {
				if _, ok := o.Attributes[k]; ok {
					return bad("value.attributes."+k, fmt.Sprintf("attribute %q collides with the order's own %s field", k, k))
				}
			}
		default:
			return bad("type", fmt.Sprintf("unsupported operation type %q", op.Type))
		}
	}
	return nil
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}
