package mmp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"switchboard/sources/upstream"
)

// CampaignPage is one page of a point of sale's campaign customers.
// MMP pages customers, not campaigns: a campaign whose customers straddle
// two pages appears on both, each time with the customers of that page.
// The seed shows no paging block: LastPage, PerPage and Total are nil
// unless MMP sends one, and nothing here is guessed.
type CampaignPage struct {
	Header    CampaignHeader // campagnes-clients' data object
	Campaigns []Campaign
	Page      int  // the page served, from 1
	LastPage  *int // MMP's last page, when it says
	PerPage   *int // MMP's page size, when it says
	Total     *int // MMP's count over every page, when it says
}

// CampaignCustomers returns page (from 1; smaller means 1) of the customers
// that pointOfSale's marketing campaigns reminded. Per the seed this path
// carries no {version}: GET /api/{network}/service-external-client/
// adherents/{pointOfSale}/campagnes-clients?page=N.
func (c *Client) CampaignCustomers(ctx context.Context, pointOfSale string, page int) (*CampaignPage, error) {
	const op = "campagnes-clients"
	pos := strings.TrimSpace(pointOfSale)
	if pos == "" {
		return nil, upstream.NewError(Source, op, upstream.KindBadInput, 0, "point of sale code is required", nil, nil)
	}
	if page < 1 {
		page = 1
	}
	resp, err := c.up.Do(ctx, &upstream.Request{
		Operation:  op,
		Method:     http.MethodGet,
		Path:       "/api/" + url.PathEscape(c.network) + "/service-external-client/adherents/" + url.PathEscape(pos) + "/" + op,
		Query:      url.Values{"page": {strconv.Itoa(page)}},
		Idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	if _, err := c.envelope(op, resp); err != nil {
		return nil, err
	}
	// The seed puts campagneList beside data; one inside data is read too,
	// in case the seed's indentation misled. So is a paging block, at
	// either place.
	var body struct {
		Success    bool            `mmp:"success"`
		Message    json.RawMessage `mmp:"message"`
		Errors     json.RawMessage `mmp:"errors"`
		Data       *campaignData   `mmp:"data"`
		Campaigns  []Campaign      `mmp:"campagneList,campaignList"`
		Pagination *pagination     `mmp:"pagination,meta"`
	}
	if err := c.decodeData(op, resp, resp.Body, &body); err != nil {
		return nil, err
	}
	out := &CampaignPage{Campaigns: body.Campaigns, Page: page}
	pg := body.Pagination
	if d := body.Data; d != nil {
		out.Header = d.CampaignHeader
		if out.Campaigns == nil {
			out.Campaigns = d.Campaigns
		}
		if pg == nil {
			pg = d.Pagination
		}
	}
	if pg != nil {
		if pg.CurrentPage != nil && *pg.CurrentPage > 0 {
			out.Page = *pg.CurrentPage
		}
		out.LastPage, out.PerPage, out.Total = pg.LastPage, pg.PerPage, pg.Total
	}
	return out, nil
}

// campaignData is campagnes-clients' data object, with what may be nested
// in it.
type campaignData struct {
	CampaignHeader
	Campaigns  []Campaign  `mmp:"campagneList,campaignList"`
	Pagination *pagination `mmp:"pagination,meta"`
}

// Blacklist returns the network's customers blacklisted for email or SMS
// reminders, as JSON.
func (c *Client) Blacklist(ctx context.Context) ([]BlacklistEntry, error) {
	var out []BlacklistEntry
	if err := c.call(ctx, c.blacklistRequest(false), &out); err != nil {
		return nil, err
	}
	return out, nil
}

// BlacklistCSV returns the same list through its CSV export (output=csv);
// see ParseBlacklistCSV for the format.
func (c *Client) BlacklistCSV(ctx context.Context) ([]BlacklistEntry, error) {
	req := c.blacklistRequest(true)
	resp, err := c.up.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	// Refusals come as a JSON envelope even when CSV was asked for.
	if t := bytes.TrimSpace(resp.Body); len(t) > 0 && t[0] == '{' {
		env, err := c.envelope(req.Operation, resp)
		if err != nil {
			return nil, err
		}
		var out []BlacklistEntry
		if err := c.decodeData(req.Operation, resp, env.Data, &out); err != nil {
			return nil, err
		}
		return out, nil
	}
	out, err := ParseBlacklistCSV(bytes.NewReader(resp.Body))
	if err != nil {
		return nil, upstream.NewError(Source, req.Operation, upstream.KindInvalidResponse, resp.Status,
			upstream.DescribeBody(resp.Status, resp.Header.Get("Content-Type"), resp.Body)+": "+err.Error(), resp.Body, err)
	}
	return out, nil
}

func (c *Client) blacklistRequest(csv bool) *upstream.Request {
	req := &upstream.Request{
		Operation:  "blacklist",
		Method:     http.MethodGet,
		Path:       c.path("adherents/relance-clients/blacklist"),
		Idempotent: true,
	}
	if csv {
		req.Query = url.Values{"output": {"csv"}}
		req.Header = http.Header{"Accept": {"text/csv, application/json"}}
	}
	return req
}

// UploadCustomerInvoices pushes a member's customers-and-invoices ZIP (the
// same contract as the FTP drop) for organizationID, the member's id. The
// size bytes of file are streamed to MMP (read again from file if the
// request is re-authenticated), never held in memory. It is never retried:
// a retry could import the file twice.
func (c *Client) UploadCustomerInvoices(ctx context.Context, organizationID, filename string, file io.ReaderAt, size int64) (*UploadResult, error) {
	const op = "clients-factures"
	org := strings.TrimSpace(organizationID)
	switch {
	case org == "":
		return nil, upstream.NewError(Source, op, upstream.KindBadInput, 0, "organization id is required", nil, nil)
	case file == nil || size <= 0:
		return nil, upstream.NewError(Source, op, upstream.KindBadInput, 0, "import file is empty", nil, nil)
	}
	if filename == "" {
		filename = "import.zip"
	}
	var out UploadResult
	err := c.call(ctx, &upstream.Request{
		Operation: op,
		Method:    http.MethodPost,
		Path:      c.path("import-fichier/" + op),
		Multipart: &upstream.Multipart{
			Fields:    [][2]string{{"organizationId", org}},
			FileField: "importFile", FileName: filename, FileType: "application/zip",
			File: file, FileSize: size,
		},
	}, &out)
	if err != nil {
		return nil, err
	}
	if !out.Success {
		msg := out.Message
		if msg == "" {
			msg = "import refused"
		}
		raw, _ := json.Marshal(out)
		return nil, upstream.NewError(Source, op, upstream.KindRejected, http.StatusOK, msg, raw, nil)
	}
	return &out, nil
}
