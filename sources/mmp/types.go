package mmp

import "switchboard/sources/mmp/wire"

// The wire types, under this package's name: see package wire for fields.
type (
	Date              = wire.Date
	VehicleInfo       = wire.VehicleInfo
	RawCustomer       = wire.RawCustomer
	Customer          = wire.Customer
	Operation         = wire.Operation
	Forecast          = wire.Forecast
	RawInvoiceLine    = wire.RawInvoiceLine
	Invoice           = wire.Invoice
	InvoiceLine       = wire.InvoiceLine
	Reminder          = wire.Reminder
	Diffusion         = wire.Diffusion
	ReminderOperation = wire.ReminderOperation
	Vision360         = wire.Vision360
	CampaignHeader    = wire.CampaignHeader
	Campaign          = wire.Campaign
	CampaignClient    = wire.CampaignClient
	CampaignVehicle   = wire.CampaignVehicle
	CampaignOperation = wire.CampaignOperation
	Promotion         = wire.Promotion
	CampaignDiffusion = wire.CampaignDiffusion
	BlacklistEntry    = wire.BlacklistEntry
	UploadResult      = wire.UploadResult
)
