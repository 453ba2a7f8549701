package mmp

import (
	"context"
	"net/http"
	"net/url"

	"switchboard/sources/upstream"
)

// vehicle calls one vehicle service: POST .../vehicule/<name>?lang=en with
// {"immatriculation": plate}. These POSTs only read, so they are retried.
func (c *Client) vehicle(ctx context.Context, name, plate string, out any) error {
	p, err := NormalizePlate(plate)
	if err != nil {
		return upstream.NewError(Source, name, upstream.KindBadInput, 0, "invalid registration plate", nil, err)
	}
	return c.call(ctx, &upstream.Request{
		Operation:  name,
		Method:     http.MethodPost,
		Path:       c.path("vehicule/" + name),
		Query:      url.Values{"lang": {"en"}},
		JSON:       map[string]string{"immatriculation": p},
		Idempotent: true,
	}, out)
}

// ImportClients returns the raw customer lines imported by network members
// for the vehicle (service import-client).
func (c *Client) ImportClients(ctx context.Context, plate string) ([]RawCustomer, error) {
	var out []RawCustomer
	if err := c.vehicle(ctx, "import-client", plate, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Clients returns the customers attached to the vehicle (service client).
func (c *Client) Clients(ctx context.Context, plate string) ([]Customer, error) {
	var out []Customer
	if err := c.vehicle(ctx, "client", plate, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Operations returns the vehicle's operation history (service historiques).
func (c *Client) Operations(ctx context.Context, plate string) ([]Operation, error) {
	var out []Operation
	if err := c.vehicle(ctx, "historiques", plate, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Forecasts returns the maintenance forecasts (service previsions).
func (c *Client) Forecasts(ctx context.Context, plate string) ([]Forecast, error) {
	var out []Forecast
	if err := c.vehicle(ctx, "previsions", plate, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// ImportInvoices returns the raw invoice lines (service import-factures).
func (c *Client) ImportInvoices(ctx context.Context, plate string) ([]RawInvoiceLine, error) {
	var out []RawInvoiceLine
	if err := c.vehicle(ctx, "import-factures", plate, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Invoices returns the qualified invoices with their lines (service factures).
func (c *Client) Invoices(ctx context.Context, plate string) ([]Invoice, error) {
	var out []Invoice
	if err := c.vehicle(ctx, "factures", plate, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Reminders returns the campaign reminders sent about the vehicle (service
// relances).
func (c *Client) Reminders(ctx context.Context, plate string) ([]Reminder, error) {
	var out []Reminder
	if err := c.vehicle(ctx, "relances", plate, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Vision360 returns everything the services above return, in one call.
func (c *Client) Vision360(ctx context.Context, plate string) (*Vision360, error) {
	var out Vision360
	if err := c.vehicle(ctx, "vision360", plate, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
